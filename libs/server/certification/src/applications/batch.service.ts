import { Injectable } from '@nestjs/common';
import { DomainException, JobsService } from '@portal/core';
import { DocumentsService } from '@portal/documents';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { ApplicationsService } from './applications.service.js';

export interface BatchResult {
  batchId: number | null;
  results: Array<{ id: number; ok: boolean; state?: string; status?: number; message?: string }>;
}

/**
 * The city's batch actions (put many on 公示, decide many): each application still goes through its own
 * audited transition; one failure does not stop the others. A batch decision's certificates form one
 * document batch whose progress the web app shows.
 */
@Injectable()
export class CertificationBatchService {
  constructor(
    private readonly ds: DataSource,
    private readonly applications: ApplicationsService,
    private readonly documents: DocumentsService,
    private readonly jobs: JobsService,
  ) {}

  async run(actor: Actor, ids: number[], req: { action: string; comment?: string }): Promise<BatchResult> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以批量操作');
    const unique = [...new Set(ids)];
    const batchId = req.action === 'certify' ? await this.ds.transaction((em) => this.documents.createBatch(em, 'certificate', `批量认定（${unique.length} 件）`, unique.length, actor.id)) : null;
    const results: BatchResult['results'] = [];
    for (const id of unique) {
      try {
        const a = await this.applications.act(actor, id, req, { effectParams: batchId ? { batchId } : undefined });
        results.push({ id, ok: true, state: a.case.state });
      } catch (e) {
        const d = e instanceof DomainException ? e : undefined;
        results.push({ id, ok: false, status: d?.status ?? 500, message: d?.message ?? '操作失败' });
        if (!d) throw e;
      }
    }
    if (batchId) {
      await this.ds.query(`UPDATE document_batches SET total = $2 WHERE id = $1`, [batchId, results.filter((r) => r.ok).length]);
      this.jobs.poke();
    }
    return { batchId, results };
  }
}
