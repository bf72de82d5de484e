/**
 * An uncompressed POSIX ustar archive of text files, for the web download of an export (one file the
 * browser saves; `tar -xf` unpacks it into the same folder the CLI writes).
 *
 * Inputs: the folder name inside the archive, the files (relative '/'-separated paths, UTF-8 text), and
 * the modification time. Output: the archive bytes.
 * Method (POSIX.1-1988 ustar, as in IEEE Std 1003.1 "pax" Archive Formats): every member is a 512-byte
 * header, then its data padded with zeros to a multiple of 512; two zero blocks end the archive.
 * Header fields are NUL-padded ASCII; numbers are octal: mode, uid, gid, size (11 digits), mtime; the
 * checksum is the sum of the header's bytes with the checksum field read as eight spaces, written as six
 * octal digits, NUL, space. Folders are members of type '5' with a trailing '/'. Names longer than 100
 * bytes are split into prefix (up to 155) and name at a '/'.
 */
const BLOCK = 512;
const encoder = new TextEncoder();

function put(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new RangeError(`tar header field too long: ${text}`);
  header.set(bytes, offset);
}

const octal = (n: number, digits: number): string => n.toString(8).padStart(digits, '0');

function splitName(path: string): { prefix: string; name: string } {
  if (encoder.encode(path).length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100 && name !== '') return { prefix, name };
  }
  throw new RangeError(`path too long for a ustar archive: ${path}`);
}

function header(path: string, size: number, type: '0' | '5', mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const { prefix, name } = splitName(path);
  put(h, 0, 100, name);
  put(h, 100, 8, `${octal(type === '5' ? 0o755 : 0o644, 7)}\0`);
  put(h, 108, 8, `${octal(0, 7)}\0`);
  put(h, 116, 8, `${octal(0, 7)}\0`);
  put(h, 124, 12, `${octal(size, 11)}\0`);
  put(h, 136, 12, `${octal(mtime, 11)}\0`);
  put(h, 148, 8, '        ');
  put(h, 156, 1, type);
  put(h, 257, 6, 'ustar\0');
  put(h, 263, 2, '00');
  put(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, `${octal(sum, 6)}\0 `);
  return h;
}

/** The files under `folder/` as an uncompressed ustar archive (folders listed before their files). */
export function ustarArchive(folder: string, files: { path: string; text: string }[], modified: Date): Uint8Array {
  const mtime = Math.floor(modified.getTime() / 1000);
  const parts: Uint8Array[] = [];
  const folders = new Set<string>([folder]);
  for (const f of files) {
    const segments = f.path.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(`${folder}/${segments.slice(0, i).join('/')}`);
  }
  for (const d of [...folders].sort()) parts.push(header(`${d}/`, 0, '5', mtime));
  for (const f of files) {
    const data = encoder.encode(f.text);
    parts.push(header(`${folder}/${f.path}`, data.length, '0', mtime), data, new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
