import { createS3ObjectStore } from "../object-store/s3/s3-object-store.js";
import { useCephRgw } from "../object-store/s3/s3-test-fixture.js";
import { runPartitionLogContract } from "./partition-log.contract.js";

// The partition log's contract on a real S3 (Ceph's RADOS Gateway): one gateway for the file,
// a fresh key prefix for every test.
const ceph = useCephRgw();

runPartitionLogContract("s3 (Ceph RGW)", async () => {
  const options = ceph().options();
  return { store: createS3ObjectStore(options), cleanup: () => ceph().removePrefix(options.prefix ?? "") };
});
