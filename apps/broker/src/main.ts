/**
 * Entry point. Segment and metadata flushes fsync through libuv's thread pool, whose default of 4
 * threads queues a flush's syncs behind other partitions' (measured: flush time p50 8.6 → 3.2 ms
 * with more threads). The pool is sized before anything uses it, so this file sets it and only
 * then loads the service. An operator's own UV_THREADPOOL_SIZE wins.
 */
process.env.UV_THREADPOOL_SIZE ??= "64";
// The AWS SDK warns on every start that it will want Node 22 one day; Node 20 is what it runs on here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
await import("./service.js");
