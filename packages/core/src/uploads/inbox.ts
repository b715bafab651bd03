/**
 * Files too large for a Lambda request (6 MB, base64 included) go straight to S3 on AWS: the app hands out
 * a presigned POST policy for one file of one purpose, bound to its size, its type, its key and the page
 * S3 returns the browser to, and reads the file from S3 afterwards. `npm start` keeps the direct upload.
 */
export type UploadPurpose = "import" | "verify";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const UPLOAD_LIMITS: Record<UploadPurpose, { maxBytes: number; contentType: string }> = {
  /** A registry import: an XLSX workbook of up to 15 MB. */
  import: { maxBytes: 15 * 1024 * 1024, contentType: XLSX_TYPE },
  /** A pledge PDF to verify: up to 20 MB. */
  verify: { maxBytes: 20 * 1024 * 1024, contentType: "application/pdf" },
};

/** How long a presigned POST policy may be used. */
export const UPLOAD_POLICY_SECONDS = 5 * 60;

/**
 * The largest request the direct path takes on AWS: Lambda's 6 MB request limit, base64 included, less
 * the multipart envelope. Larger files go through an UploadInbox.
 */
export const DIRECT_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** A form that uploads one file to S3: post `fields` then the file (as `file`, last) to `url`. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
  /**
   * The object's key as the form posts it: `…/${filename}`, which S3 replaces with the posted file's name.
   * The stored key (S3's redirect carries it as `key`, and so does its answer) is the reference the app
   * takes the file by afterwards.
   */
  key: string;
  maxBytes: number;
  contentType: string;
  expiresAt: string;
}

/** An uploaded file, read back from the inbox. */
export interface UploadedFile {
  bytes: Uint8Array;
  /** The name the file had on the uploader's computer (what S3 put in its key), for lists and logs. */
  fileName: string;
}

export interface UploadInbox {
  /**
   * A form for one file of `purpose`; S3 sends the browser to `redirect` (with `?key=`) once stored.
   * With an `uploader` (a staff member's id) the upload is theirs: only they can take it.
   */
  offer(purpose: UploadPurpose, options: { redirect?: string; uploader?: string }): Promise<UploadForm>;
  /**
   * The file at `key`, removed from the inbox (each upload is read once); null when there is none, the
   * key is not of `purpose`, the file breaks the purpose's limits, or it was offered to another uploader
   * (whose file then stays where it is).
   */
  take(purpose: UploadPurpose, key: string, options?: { uploader?: string }): Promise<UploadedFile | null>;
}

/**
 * The largest response the app sends itself on AWS: Lambda's 6 MB response limit, base64 included. A
 * larger download (a screenshot of a long page, a national report, an export) is handed over by a
 * short-lived link to a copy in S3 instead.
 */
export const DIRECT_DOWNLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

export interface DownloadHeaders {
  contentType: string;
  contentDisposition?: string | undefined;
  cacheControl?: string | undefined;
}

export interface DownloadLinks {
  /** The origin the links point to (a page that shows a linked image names it in its CSP). */
  origin: string;
  /** A link, valid DOWNLOAD_LINK_SECONDS, that serves `body` with these headers. */
  link(body: Uint8Array, headers: DownloadHeaders): Promise<string>;
}
