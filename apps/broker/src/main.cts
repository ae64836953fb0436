/**
 * Entry point, CommonJS on purpose. Segment and metadata flushes create files and fsync them
 * through libuv's thread pool, whose default of 4 threads queues one partition's flush behind
 * the others'. The pool is created at the first use and never resized, and Node's ES module
 * loader uses it to read the entry module itself, so an ESM entry is too late to size it. This
 * file is loaded synchronously, sets the size, and only then loads the service (ESM). An
 * operator's own UV_THREADPOOL_SIZE wins.
 */
process.env["UV_THREADPOOL_SIZE"] ||= "64";
// The AWS SDK warns on every start that it will want Node 22 one day; Node 20 is what it runs on here.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
void import("./service.js");
