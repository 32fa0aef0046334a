/**
 * The backup file's content (issue #8): the library's JSON export (a W3C
 * AnnotationCollection of every highlight and lesson note, see
 * storage/export-jsonld.ts), which the library's Import merges back. Built
 * from the database alone, which never holds the sync password (that lives
 * in `storage.local`), so a backup cannot carry it.
 */
import { exportGroups } from '../export-files';
import { toAnnotationCollection } from '../export-jsonld';
import type { Annotation, LessonNote } from '../model';

/** A backup ready to write, with the fingerprint of what it holds. */
export interface BackupFile {
  text: string;
  /**
   * SHA-256 (hex) of the annotations alone, not of the collection's id or
   * date: two backups of an unchanged library have the same fingerprint.
   */
  fingerprint: string;
  /** How many annotations and lesson notes the file holds. */
  items: number;
}

/** What the collection says about itself. */
export interface BackupInfo {
  label: string;
  now: number;
  /** A fresh IRI for the collection (`urn:uuid:…`). */
  collectionId: string;
}

/** The export of everything in `annotations` and `notes`, as a backup file. */
export async function buildBackupFile(
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
  info: BackupInfo,
): Promise<BackupFile> {
  const groups = exportGroups({ type: 'all' }, annotations, notes);
  const collection = toAnnotationCollection(groups, { id: info.collectionId, label: info.label, generatedAt: info.now });
  return {
    text: `${JSON.stringify(collection, null, 2)}\n`,
    fingerprint: await sha256Hex(JSON.stringify(collection.first.items)),
    items: collection.total,
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A `data:` URL of `text` (UTF-8, base64). Chrome's MV3 service worker has
 * no `URL.createObjectURL`, and `downloads.download` accepts data URLs there
 * (a 6 MB file was tried); base64 keeps Chinese text at 4/3 of its bytes,
 * where percent-encoding would triple them.
 */
export function textDataUrl(text: string, mimeType = 'application/json'): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // In slices: spreading a whole file into one call would overflow the stack.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return `data:${mimeType};base64,${btoa(binary)}`;
}
