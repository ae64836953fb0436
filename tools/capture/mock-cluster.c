/*
 * mock-cluster: librdkafka's built-in mock Kafka cluster as a standalone process.
 *
 * Usage: mock-cluster [--brokers N] [--api-version KEY:MIN:MAX ...] [TOPIC[:PARTITIONS] ...]
 *
 * Starts a mock cluster (rd_kafka_mock_cluster_new, librdkafka's rdkafka_mock.h),
 * optionally narrows/widens the advertised version range of an API
 * (rd_kafka_mock_set_apiversion; MAX must not exceed what the mock implements),
 * creates the given topics (1 partition unless ":N" is given, replication factor 1),
 * prints one line "BOOTSTRAP <host:port,...>" on stdout and then runs until stdin
 * reaches end-of-file or the process receives SIGTERM / SIGINT.
 *
 * Build: cc -O2 -o mock-cluster mock-cluster.c -lrdkafka   (see build-mock.sh, which also
 * builds it against librdkafka 2.12.0's sources for a mock that speaks flexible versions)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static void usage(void) {
        fprintf(stderr, "usage: mock-cluster [--brokers N] [--api-version KEY:MIN:MAX ...] "
                        "[TOPIC[:PARTITIONS] ...]\n");
}

struct api_version_override {
        int key, min, max;
};

int main(int argc, char **argv) {
        int broker_cnt = 1;
        int first_topic = 1;
        struct api_version_override overrides[64];
        int override_cnt = 0;
        char errstr[512];

        while (first_topic < argc && argv[first_topic][0] == '-') {
                const char *opt = argv[first_topic];
                if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
                        usage();
                        return 0;
                }
                if (first_topic + 1 >= argc) {
                        usage();
                        return 2;
                }
                const char *val = argv[first_topic + 1];
                if (!strcmp(opt, "--brokers")) {
                        broker_cnt = atoi(val);
                        if (broker_cnt < 1) {
                                usage();
                                return 2;
                        }
                } else if (!strcmp(opt, "--api-version") && override_cnt < 64) {
                        struct api_version_override *o = &overrides[override_cnt];
                        if (sscanf(val, "%d:%d:%d", &o->key, &o->min, &o->max) != 3) {
                                usage();
                                return 2;
                        }
                        override_cnt++;
                } else {
                        usage();
                        return 2;
                }
                first_topic += 2;
        }

        /* The mock cluster needs an rd_kafka_t for its bookkeeping only; it is never
         * used to produce. */
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "client.id", "kafscale-mock-cluster", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "mock-cluster: %s\n", errstr);
                return 1;
        }
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-cluster: rd_kafka_new failed: %s\n", errstr);
                return 1;
        }

        rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mcluster) {
                fprintf(stderr, "mock-cluster: rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        for (int i = 0; i < override_cnt; i++) {
                rd_kafka_resp_err_t err = rd_kafka_mock_set_apiversion(
                    mcluster, (int16_t)overrides[i].key, (int16_t)overrides[i].min,
                    (int16_t)overrides[i].max);
                if (err) {
                        fprintf(stderr, "mock-cluster: setting api version %d failed: %s\n",
                                overrides[i].key, rd_kafka_err2str(err));
                }
        }

        for (int i = first_topic; i < argc; i++) {
                char name[256];
                int partitions = 1;
                snprintf(name, sizeof(name), "%s", argv[i]);
                char *colon = strrchr(name, ':');
                if (colon) {
                        *colon = '\0';
                        partitions = atoi(colon + 1);
                        if (partitions < 1) partitions = 1;
                }
                rd_kafka_resp_err_t err =
                    rd_kafka_mock_topic_create(mcluster, name, partitions, 1);
                if (err) {
                        fprintf(stderr, "mock-cluster: creating topic %s failed: %s\n", name,
                                rd_kafka_err2str(err));
                }
        }

        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);

        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);

        /* Run until stdin is closed (or errors) or a signal asks us to stop. */
        char buf[256];
        while (!stop_requested) {
                struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
                int r = poll(&pfd, 1, 200);
                if (r < 0) {
                        if (errno == EINTR) continue;
                        break;
                }
                if (r == 0) continue;
                ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
                if (n <= 0) {
                        if (n < 0 && errno == EINTR) continue;
                        break;
                }
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
