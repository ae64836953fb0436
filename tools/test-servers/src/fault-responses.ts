import type { IncomingMessage, ServerResponse } from "node:http";

let requestSeq = 0;

/**
 * The object key a path-style S3 request names: the decoded path after the
 * bucket, without the query (`/bucket/a/b?x` → `a/b`; `""` for bucket-level
 * requests such as ListObjectsV2).
 */
export function objectKeyOf(url: string): string {
  const path = url.split("?", 1)[0] ?? "";
  const slash = path.indexOf("/", 1);
  if (slash < 0) return "";
  try {
    return decodeURIComponent(path.slice(slash + 1));
  } catch {
    return path.slice(slash + 1);
  }
}

/**
 * Answers with an S3 error (status, XML body with `Code` and `Message`, as S3
 * sends them) after reading the request body, without forwarding anything.
 */
export function sendS3Error(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = `fault-proxy-${++requestSeq}`;
  const resource = (req.url ?? "/").split("?", 1)[0] ?? "/";
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Error><Code>${code}</Code><Message>${message}</Message><Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  req.resume();
  req.on("end", () => {
    res.writeHead(status, {
      "content-type": "application/xml",
      "content-length": Buffer.byteLength(body),
      "x-amz-request-id": requestId,
    });
    res.end(body);
  });
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
