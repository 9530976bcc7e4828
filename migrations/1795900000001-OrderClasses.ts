import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 订单班 (issue 10, seed task 30): the class (its case holds state, owner school and the enterprise party),
 * its roster (ID numbers and phones sealed with FieldCipher, a keyed hash for uniqueness per class, masked
 * copies for display), roster changes while it runs, and each student's completion outcome.
 */
export class OrderClasses1795900000001 implements MigrationInterface {
  name = 'OrderClasses1795900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_classes (
        id bigserial PRIMARY KEY,
        case_id bigint NOT NULL UNIQUE REFERENCES cases(id),
        school_id integer NOT NULL REFERENCES organisations(id),
        enterprise_id integer REFERENCES organisations(id),
        invited_credit_code text,
        invited_email text,
        name text NOT NULL,
        major_code text,
        cohort_year integer,
        planned_headcount integer CHECK (planned_headcount IS NULL OR planned_headcount > 0),
        term_start date,
        term_end date,
        courses text NOT NULL DEFAULT '',
        mentors jsonb NOT NULL DEFAULT '[]',
        internship jsonb NOT NULL DEFAULT '{}',
        employment jsonb NOT NULL DEFAULT '{}',
        data_version integer NOT NULL DEFAULT 1,
        created_by integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (enterprise_id IS NOT NULL OR invited_credit_code IS NOT NULL),
        CHECK (term_start IS NULL OR term_end IS NULL OR term_end > term_start)
      );
      CREATE INDEX order_classes_school ON order_classes (school_id);
      CREATE INDEX order_classes_enterprise ON order_classes (enterprise_id);
      CREATE INDEX order_classes_invited ON order_classes (invited_credit_code) WHERE invited_credit_code IS NOT NULL;
      CREATE INDEX order_classes_major ON order_classes (major_code);

      CREATE TABLE order_class_students (
        id bigserial PRIMARY KEY,
        order_class_id bigint NOT NULL REFERENCES order_classes(id),
        name text NOT NULL,
        gender text NOT NULL CHECK (gender IN ('male', 'female')),
        birth_date date NOT NULL,
        id_sealed bytea NOT NULL,
        id_lookup bytea NOT NULL,
        id_masked text NOT NULL,
        phone_sealed bytea,
        phone_masked text,
        -- pending: a join being recorded (not on the roster until its action commits)
        status text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('pending', 'enrolled')),
        joined_on date NOT NULL,
        left_on date,
        graduated boolean,
        destination text CHECK (destination IN ('enterprise', 'elsewhere', 'further_study', 'none')),
        created_by integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_class_id, id_lookup),
        CHECK (left_on IS NULL OR left_on >= joined_on),
        CHECK (destination IS NULL OR graduated IS NOT NULL)
      );
      CREATE INDEX order_class_students_class ON order_class_students (order_class_id, id);

      CREATE TABLE order_class_changes (
        id bigserial PRIMARY KEY,
        order_class_id bigint NOT NULL REFERENCES order_classes(id),
        student_id bigint NOT NULL REFERENCES order_class_students(id),
        kind text NOT NULL CHECK (kind IN ('join', 'leave')),
        on_date date NOT NULL,
        reason text NOT NULL,
        actor_id integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX order_class_changes_class ON order_class_changes (order_class_id, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_class_changes, order_class_students, order_classes`);
  }
}
