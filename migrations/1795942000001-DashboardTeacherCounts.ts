import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rest of the city dashboard at the plan's scale (issue 12, "Performance"; tests/bench/dashboard.bench.mjs, city of
 * size 100,000), measured statement by statement:
 * - the teacher shares (tasks 44 and 48) counted 200,000 teacher profiles per school on every request (120-200 ms).
 *   Now `teacher_counts` keeps, per school, the active teachers: all, part-time, full-time, full-time 双师型. Kept by
 *   triggers, because two features write what it counts: the practice feature the profiles, the identity feature the
 *   users' `active` flag (a deactivated teacher has left the school), and neither may import the other; a trigger
 *   sees every write, the bulk generators' and the tests' too. A profile counts while its user is active. The
 *   adjustments of one school take that school's row lock, so concurrent writes of two teachers of one school queue
 *   for the count and never lose one.
 * - the standing city certifications by county and industry read 23,000 certifications from the heap at random
 *   (100 ms): `certifications_city` holds what the figures and the trend read of the city-level ones, and
 *   `organisations_enterprises` each enterprise's county and industry, so both are read from indexes alone.
 * Backfilled here.
 */
export class DashboardTeacherCounts1795942000001 implements MigrationInterface {
  name = 'DashboardTeacherCounts1795942000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX certifications_city ON certifications (enterprise_id) INCLUDE (certified_at, valid_until, revoked_at) WHERE level = 'city';
      CREATE INDEX organisations_enterprises ON organisations (id) INCLUDE (county_code, industry) WHERE kind = 'enterprise';

      CREATE TABLE teacher_counts (
        school_id integer PRIMARY KEY REFERENCES organisations(id),
        total integer NOT NULL CHECK (total >= 0),
        part_time integer NOT NULL CHECK (part_time >= 0),
        full_time integer NOT NULL CHECK (full_time >= 0),
        dual integer NOT NULL CHECK (dual >= 0 AND dual <= full_time),
        CHECK (part_time + full_time = total)
      );

      -- one profile's weight (sign +1 or -1) added to its school's counts: the school's row updated, or inserted the
      -- first time (ON CONFLICT: a concurrent first insert for the same school became an update). Not an upsert alone:
      -- the checks apply to the row proposed for insertion, which holds the weight itself, negative when taking away.
      CREATE FUNCTION teacher_counts_add(p_school integer, p_employment text, p_dual boolean, p_sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        d_part integer := CASE WHEN p_employment = 'part_time' THEN p_sign ELSE 0 END;
        d_full integer := CASE WHEN p_employment = 'full_time' THEN p_sign ELSE 0 END;
        d_dual integer := CASE WHEN p_employment = 'full_time' AND p_dual THEN p_sign ELSE 0 END;
      BEGIN
        UPDATE teacher_counts t SET total = t.total + p_sign, part_time = t.part_time + d_part, full_time = t.full_time + d_full, dual = t.dual + d_dual
         WHERE t.school_id = p_school;
        IF NOT FOUND THEN
          INSERT INTO teacher_counts AS t (school_id, total, part_time, full_time, dual) VALUES (p_school, p_sign, d_part, d_full, d_dual)
          ON CONFLICT (school_id) DO UPDATE SET total = t.total + excluded.total, part_time = t.part_time + excluded.part_time,
                                                full_time = t.full_time + excluded.full_time, dual = t.dual + excluded.dual;
        END IF;
      END $$;

      -- a profile written: the old one (if its user was active) out, the new one in
      CREATE FUNCTION teacher_counts_profile() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        counted boolean;
      BEGIN
        SELECT u.active INTO counted FROM users u WHERE u.id = coalesce(NEW.user_id, OLD.user_id);
        IF NOT coalesce(counted, false) THEN RETURN NULL; END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM teacher_counts_add(OLD.school_id, OLD.employment, OLD.dual_qualified, -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM teacher_counts_add(NEW.school_id, NEW.employment, NEW.dual_qualified, 1); END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER teacher_counts_profile AFTER INSERT OR DELETE OR UPDATE OF school_id, employment, dual_qualified ON teacher_profiles
        FOR EACH ROW EXECUTE FUNCTION teacher_counts_profile();

      -- a user deactivated or reactivated: their profile, if any, out or in
      CREATE FUNCTION teacher_counts_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM teacher_counts_add(tp.school_id, tp.employment, tp.dual_qualified, CASE WHEN NEW.active THEN 1 ELSE -1 END)
           FROM teacher_profiles tp WHERE tp.user_id = NEW.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER teacher_counts_user AFTER UPDATE OF active ON users
        FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active) EXECUTE FUNCTION teacher_counts_user();

      INSERT INTO teacher_counts (school_id, total, part_time, full_time, dual)
      SELECT tp.school_id, count(*), count(*) FILTER (WHERE tp.employment = 'part_time'), count(*) FILTER (WHERE tp.employment = 'full_time'),
             count(*) FILTER (WHERE tp.employment = 'full_time' AND tp.dual_qualified)
        FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id WHERE u.active GROUP BY tp.school_id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER teacher_counts_user ON users;
      DROP TRIGGER teacher_counts_profile ON teacher_profiles;
      DROP FUNCTION teacher_counts_user();
      DROP FUNCTION teacher_counts_profile();
      DROP FUNCTION teacher_counts_add(integer, text, boolean, integer);
      DROP TABLE teacher_counts;
      DROP INDEX organisations_enterprises;
      DROP INDEX certifications_city;
    `);
  }
}
