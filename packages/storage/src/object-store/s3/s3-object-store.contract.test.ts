import { runObjectStoreContract } from "../object-store.contract.js";
import { createS3ObjectStore } from "./s3-object-store.js";
import { useCephRgw } from "./s3-test-fixture.js";

const ceph = useCephRgw();

runObjectStoreContract("s3 (Ceph RGW)", async () => {
  const options = ceph().options();
  return { store: createS3ObjectStore(options), cleanup: () => ceph().removePrefix(options.prefix ?? "") };
});
