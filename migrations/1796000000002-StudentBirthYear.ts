import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `order_class_students` kept the birth date in clear beside `id_masked` (the first 6 and last 4 characters of
 * the ID number): the 8 hidden characters of an 18-character GB 11643 ID number are exactly that birth date, so
 * `left(id_masked, 6) || to_char(birth_date, 'YYYYMMDD') || right(id_masked, 4)` rebuilt every full number and
 * defeated the sealed `id_sealed`. Only the birth year is used (the roster and its export show it), so only the
 * year is kept (`birth_year`).
 *
 * Down cannot bring the month and day back (they are no longer stored anywhere in clear): it restores
 * `birth_date` as 1 January of the birth year, which is all the code of that version read from it (the year).
 */
export class StudentBirthYear1796000000002 implements MigrationInterface {
  name = 'StudentBirthYear1796000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE order_class_students ADD COLUMN birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2999);
      UPDATE order_class_students SET birth_year = extract(year FROM birth_date)::smallint;
      ALTER TABLE order_class_students ALTER COLUMN birth_year SET NOT NULL, DROP COLUMN birth_date;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // the month and day are lost: 1 January of the birth year stands in for them
    await q.query(`
      ALTER TABLE order_class_students ADD COLUMN birth_date date;
      UPDATE order_class_students SET birth_date = make_date(birth_year, 1, 1);
      ALTER TABLE order_class_students ALTER COLUMN birth_date SET NOT NULL, DROP COLUMN birth_year;
    `);
  }
}
