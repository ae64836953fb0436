import { createFileObjectStore } from "../object-store/file-object-store.js";
import { makeTempDir } from "../test-support/temp-dir.js";
import { runPartitionLogContract } from "./partition-log.contract.js";

runPartitionLogContract("file://", async () => {
  const dir = await makeTempDir("log");
  return { store: await createFileObjectStore(dir.path), cleanup: dir.remove };
});
