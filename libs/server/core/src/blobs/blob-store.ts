import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Where uploaded attachments and issued documents keep their bytes. The default keeps them in
 * PostgreSQL so that every API instance and worker sees the same files with no shared disk; another
 * implementation (object storage) can replace it behind this interface.
 */
export abstract class BlobStore {
  /** Store bytes under a new server-generated key (never derived from a user's file name). */
  abstract put(bytes: Buffer, em?: EntityManager): Promise<StoredBlob>;
  abstract get(key: string): Promise<Buffer | undefined>;
  /**
   * Purge bytes whose last reference went, inside the transaction that removed it (so a rollback keeps
   * them). The caller owns the reference and knows it was the last; the database refuses a key still
   * referenced (foreign keys), so a file still in use is never lost.
   */
  abstract delete(key: string, em?: EntityManager): Promise<void>;
}

@Injectable()
export class PostgresBlobStore extends BlobStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async put(bytes: Buffer, em: EntityManager = this.ds.manager): Promise<StoredBlob> {
    const key = randomUUID();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await em.query(`INSERT INTO blobs (key, bytes, size, sha256) VALUES ($1, $2, $3, $4)`, [key, bytes, bytes.length, sha256]);
    return { key, size: bytes.length, sha256 };
  }

  async delete(key: string, em: EntityManager = this.ds.manager): Promise<void> {
    await em.query(`DELETE FROM blobs WHERE key = $1`, [key]);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const rows: Array<{ bytes: Buffer }> = await this.ds.query(`SELECT bytes FROM blobs WHERE key = $1`, [key]);
    return rows[0]?.bytes;
  }
}
