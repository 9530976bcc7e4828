import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { randomSecret, type AppConfig } from '../config/app-config.js';

/** Layout of a sealed value: version (1 byte) · IV (12) · GCM tag (16) · ciphertext. */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Application-level encryption of personal data (居民身份证号码, phones): AES-256-GCM with a random IV per value,
 * and a keyed hash (HMAC-SHA256) of the same value for uniqueness checks and exact search, so that neither
 * needs the clear text in the database. Both keys are derived (HKDF) from one configured secret.
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(secret: string) {
    const master = Buffer.from(secret, 'utf8');
    this.encKey = Buffer.from(hkdfSync('sha256', master, 'wenzhou-cjrh', 'field-encryption', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', master, 'wenzhou-cjrh', 'field-lookup', 32));
  }

  seal(plain: string | Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([typeof plain === 'string' ? cipher.update(plain, 'utf8') : cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The clear text; throws when the value was altered or sealed under another key. */
  open(sealed: Buffer): string {
    return this.openBytes(sealed).toString('utf8');
  }

  openBytes(sealed: Buffer): Buffer {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new Error('FieldCipher: not a sealed value');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  /** The keyed hash of a (normalised) value: equal values give equal hashes, and nothing is learnt without the key. */
  lookupHash(value: string): Buffer {
    return createHmac('sha256', this.macKey).update(value, 'utf8').digest();
  }
}

/**
 * The cipher under FIELD_ENCRYPTION_KEY, or under a secret generated on first start and kept in the database
 * (shared by every instance and restart, like the token secret) — said in the log, since a copy of the database
 * then carries its key.
 */
export async function createFieldCipher(config: AppConfig, ds: DataSource): Promise<FieldCipher> {
  if (config.fieldEncryptionKey) return new FieldCipher(config.fieldEncryptionKey);
  await ds.query(`INSERT INTO system_secrets (name, value) VALUES ('field-encryption', $1) ON CONFLICT (name) DO NOTHING`, [randomSecret()]);
  const rows = await ds.query<Array<{ value: string }>>(`SELECT value FROM system_secrets WHERE name = 'field-encryption'`);
  new Logger('FieldCipher').warn('FIELD_ENCRYPTION_KEY is not set: personal data is encrypted under a key kept in the database (set it in production)');
  return new FieldCipher(rows[0].value);
}
