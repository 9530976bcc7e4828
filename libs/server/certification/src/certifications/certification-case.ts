import type { EntityManager } from 'typeorm';

/**
 * The case a certification came from: the application the city decided, or the provincial/national
 * record it confirmed. Its hash chain is where what happens to the certification and its subsidies
 * afterwards is recorded (revocation, payment, cancellation, recovery). Null for none.
 */
export async function caseOfCertification(em: EntityManager, certificationId: number): Promise<{ caseId: number; workflowKey: string } | null> {
  const [r]: Array<{ case_id: string | null; workflow_key: string | null }> = await em.query(
    `SELECT k.id AS case_id, k.workflow_key FROM certifications c
       LEFT JOIN certification_applications a ON a.id = c.application_id
       LEFT JOIN cases k ON k.id = coalesce(a.case_id, c.record_case_id)
      WHERE c.id = $1`,
    [certificationId],
  );
  return r?.case_id ? { caseId: Number(r.case_id), workflowKey: r.workflow_key! } : null;
}
