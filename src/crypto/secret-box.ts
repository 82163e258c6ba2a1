import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
/** 96-bit IVs are GCM's native size; random ones are safe for far more seals than we will ever make. */
const IV_BYTES = 12;
/** Fixed on both sides: GCM would otherwise accept a truncated tag, which weakens forgery resistance. */
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (storage credentials). Output:
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64; the version leaves room for rotation.
 */
export class SecretBox {
  /** @param key 32 bytes (STORAGE_ENCRYPTION_KEY, decoded). */
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`SecretBox needs a ${KEY_BYTES}-byte key, got ${key.length} bytes`);
  }

  /** Serialises `value` as JSON and encrypts it under a fresh random IV. */
  seal(value: unknown): string {
    const json = JSON.stringify(value) as string | undefined;
    // JSON.stringify drops undefined and functions; sealing "nothing" is a caller bug, not a secret.
    if (json === undefined) throw new Error('SecretBox can only seal JSON-serialisable values');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, {authTagLength: TAG_BYTES});
    const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
  }

  /** Decrypts and parses a value made by `seal`; throws when the key is wrong or the text was altered. */
  open<T>(sealed: string): T {
    const parts = sealed.split('.');
    const [version, ivText, tagText, ciphertextText] = parts;
    if (parts.length !== 4 || version !== VERSION) throw new Error('sealed value has an unknown format');
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('sealed value has an unknown format');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, {authTagLength: TAG_BYTES});
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64')), decipher.final()]);
    } catch (error) {
      throw new Error('sealed value cannot be opened: wrong key or tampered data', {cause: error});
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
