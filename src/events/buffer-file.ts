/**
 * The on-disk form of the publish buffer: JSON lines, one `{"channel":..,"wire":..}` entry per
 * line, oldest first. Written atomically (temp file, fsync, rename) so a crash leaves either the
 * old file or the new one, never half of one; read synchronously when a publisher is built.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isChannel } from './channels.js';
import type { Channel } from './channels.js';

/** One buffered event: its channel and its wire JSON, exactly as it would be published. */
export interface BufferedEntry {
  readonly channel: Channel;
  readonly wire: string;
}

/** What {@link readBufferFile} found. */
export interface BufferFileContents {
  /** The readable entries, oldest first. */
  readonly entries: BufferedEntry[];
  /** 1-based numbers of the lines that could not be read (empty when the file is sound). */
  readonly badLines: number[];
}

function parseLine(line: string): BufferedEntry | undefined {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { channel, wire } = data as { channel?: unknown; wire?: unknown };
  if (!isChannel(channel) || typeof wire !== 'string' || wire.length === 0) return undefined;
  return { channel, wire };
}

/**
 * Reads a buffer file. A missing file is an empty buffer. Lines that are not entries are
 * reported in `badLines` and skipped; blank lines are ignored.
 *
 * @throws the file system error for anything but a missing file (e.g. EACCES, EISDIR).
 */
export function readBufferFile(file: string): BufferFileContents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], badLines: [] };
    throw err;
  }
  const entries: BufferedEntry[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const entry = parseLine(line);
    if (entry) entries.push(entry);
    else badLines.push(index + 1);
  });
  return { entries, badLines };
}

/** Moves an unreadable buffer file aside (`<file>.corrupt-<time>`) and returns its new path. */
export function moveAside(file: string): string {
  const target = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, target);
  return target;
}

/** Serialises entries to the file format (one JSON line each, trailing newline). */
export function formatBufferFile(entries: Iterable<BufferedEntry>): string {
  let out = '';
  for (const entry of entries) out += `${JSON.stringify({ channel: entry.channel, wire: entry.wire })}\n`;
  return out;
}

/**
 * Replaces `file` atomically with `text`: writes a temp file in the same directory, fsyncs it,
 * renames it over `file` and fsyncs the directory. An empty `text` removes the file instead.
 */
export async function writeBufferFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  if (text === '') {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms (Windows) cannot open directories: best effort.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}
