import { Injectable } from '@nestjs/common';
import type { BatchResult } from '@portal/contracts';
import { DomainException, JobsService } from '@portal/core';
import { DocumentsService } from '@portal/documents';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { ApplicationsService } from './applications.service.js';

/**
 * The city's batch actions (put many on 公示, decide many): each application still goes through its own
 * audited transition; one refusal does not stop the others, and each is reported with its reason. A batch
 * decision is a document batch whose items are its applications: each is marked acted in the decision's
 * own transaction or skipped with the reason, so the batch's progress and state are read from its items
 * (and a run cut short by a crash reads as interrupted, not running).
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
    if (req.action !== 'certify') return { batchId: null, results: await this.each(actor, unique, req) };
    const names = await this.applications.enterpriseNames(unique);
    const items = unique.map((id) => ({ id, label: names.get(id) ?? null }));
    const batchId = await this.ds.transaction((em) => this.documents.createBatch(em, 'certificate', `批量认定（${unique.length} 件）`, items, actor.id));
    try {
      const results = await this.documents.runBatch(batchId, () => this.each(actor, unique, req, batchId));
      return { batchId, results };
    } finally {
      this.jobs.poke();
    }
  }

  private async each(actor: Actor, ids: number[], req: { action: string; comment?: string }, batchId?: number): Promise<BatchResult['results']> {
    const results: BatchResult['results'] = [];
    for (const id of ids) {
      try {
        const a = await this.applications.act(
          actor,
          id,
          req,
          batchId ? { effectParams: { batchId }, within: (em) => this.documents.markBatchItem(em, batchId, id, 'acted') } : {},
        );
        results.push({ id, ok: true, state: a.case.state });
      } catch (e) {
        // anything but a refusal (a crash) stops the run: its unworked items stay pending
        if (!(e instanceof DomainException)) throw e;
        results.push({ id, ok: false, status: e.status, message: e.message });
        if (batchId) await this.documents.markBatchItem(this.ds.manager, batchId, id, 'skipped', e.message);
      }
    }
    return results;
  }
}
