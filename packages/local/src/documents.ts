import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { ConflictError, type DocumentStore, type SealCredentials } from "@pledgewatch/core";
import { generateAuthorityCredentials } from "@pledgewatch/documents";
import { z } from "zod";

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * The local stand-in for the S3 documents bucket: files under a folder, write-once like the bucket's
 * object lock (a second write of the same key is refused), and whole or absent like an S3 object: the
 * bytes go to a temporary file first, which is then linked in place (a link never replaces a file), so a
 * reader or a process killed mid-write never leaves a partial document under its key.
 */
export function createFolderDocumentStore(root: string): DocumentStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    if (!KEY_PATTERN.test(key) || key.includes("..") || !path.startsWith(base + sep)) {
      throw new Error(`invalid document key ${JSON.stringify(key)}`);
    }
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${randomUUID()}.partial`;
      await writeFile(partial, body, { flag: "wx" });
      try {
        await link(partial, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST")
          throw new ConflictError(`document ${key} exists`);
        throw error;
      } finally {
        await unlink(partial).catch(() => {});
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

const StoredCredentialsSchema = z.object({ passphrase: z.string().min(8), certificatePem: z.string() });

/**
 * The issuing authority's certificate for local runs: generated on first use (self-signed, stored under
 * the data folder) and reused afterwards, so documents sealed yesterday still verify today. On AWS the
 * certificate comes from Secrets Manager instead.
 */
export function localSealCredentials(dir: string): () => Promise<SealCredentials> {
  let pending: Promise<SealCredentials> | undefined;
  const load = async (): Promise<SealCredentials> => {
    const p12Path = join(dir, "authority.p12");
    const metaPath = join(dir, "authority.json");
    try {
      const meta = StoredCredentialsSchema.parse(JSON.parse(await readFile(metaPath, "utf8")));
      return { p12: new Uint8Array(await readFile(p12Path)), passphrase: meta.passphrase };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const created = await generateAuthorityCredentials({
      commonName: "Pledgewatch – đơn vị cấp văn bản (bản chạy thử)",
      organization: "Pledgewatch (local demo)",
    });
    await mkdir(dir, { recursive: true });
    await writeFile(`${p12Path}.tmp`, created.p12, { mode: 0o600 });
    await writeFile(
      `${metaPath}.tmp`,
      JSON.stringify({ passphrase: created.passphrase, certificatePem: created.certificatePem }, null, 2),
      { mode: 0o600 },
    );
    await rename(`${p12Path}.tmp`, p12Path);
    await rename(`${metaPath}.tmp`, metaPath);
    return { p12: created.p12, passphrase: created.passphrase };
  };
  return () => {
    pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
