import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spreadsheet imports in two steps (preview, then commit): the uploaded file is kept encrypted until it is
 * committed or expires; the preview keeps the counts and the bad rows (masked) for the user to read.
 */
export class SpreadsheetImports1795850000001 implements MigrationInterface {
  name = 'SpreadsheetImports1795850000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE spreadsheet_imports (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        scope text NOT NULL,
        created_by int NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        file_name text NOT NULL,
        file_sha256 bytea NOT NULL,
        file_sealed bytea,
        total int NOT NULL CHECK (total >= 0),
        good int NOT NULL CHECK (good >= 0),
        bad jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed', 'committed')),
        imported int,
        committed_by int REFERENCES users(id),
        committed_at timestamptz,
        CHECK ((status = 'committed') = (committed_at IS NOT NULL))
      );
      CREATE INDEX spreadsheet_imports_scope ON spreadsheet_imports (scope, created_at DESC);
      CREATE INDEX spreadsheet_imports_pending ON spreadsheet_imports (expires_at) WHERE file_sealed IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE spreadsheet_imports`);
  }
}
