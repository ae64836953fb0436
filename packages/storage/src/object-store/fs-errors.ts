import { ObjectExistsError, ObjectNotFoundError, StorageError } from "../errors.js";

/**
 * The one place where Node's filesystem errors become `StorageError`s for the
 * file:// backend:
 *
 * - `ENOENT` → `NOT_FOUND` (the object, or a directory on its path, is missing)
 * - `ENOTDIR`, `EISDIR` → `NOT_FOUND` (a file sits where the key needs a
 *   directory, or the key names a directory: either way no such object; the
 *   write path detects these clashes itself and reports `INVALID_KEY`)
 * - `EEXIST` → `EXISTS` (the hard link that publishes an object found its name taken)
 * - `ENAMETOOLONG` → `INVALID_KEY`
 * - anything else (`ENOSPC`, `EIO`, `EACCES`, `EMFILE`, …) → `IO`
 */
export function mapFsError(err: unknown, key: string, operation: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
    case "EISDIR":
      return new ObjectNotFoundError(key, { cause: err });
    case "EEXIST":
      return new ObjectExistsError(key, { cause: err });
    case "ENAMETOOLONG":
      return new StorageError("INVALID_KEY", `${operation} ${JSON.stringify(key)}: the key clashes with the directory layout (${code})`, {
        cause: err,
      });
    default:
      return new StorageError("IO", `${operation} ${JSON.stringify(key)} failed: ${(err as Error | null)?.message ?? String(err)}`, {
        cause: err,
      });
  }
}

/** The errno code of a Node error, if it has one. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
