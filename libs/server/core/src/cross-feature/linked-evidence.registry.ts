import { Injectable } from '@nestjs/common';
import type { EvidenceItem } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Evidence of vocational-education cooperation that the portal itself holds (DOMAIN.md §1: "the portal's own
 * order-class and practice data count as evidence"): each feature that holds such records registers a source
 * when its module starts, and an enterprise's certification application lists what the sources find, linked and
 * read-only, beside what the enterprise typed. It lives below the features so that none imports another
 * (features never import each other: .dependency-cruiser.cjs).
 */
export interface LinkedEvidenceSource {
  key: Exclude<EvidenceItem['source'], 'manual'>;
  /** the enterprise's items, each with `source` = key and `sourceRef` = '<resource>/<id>' for the web app to link */
  list(em: EntityManager, enterpriseOrgId: number): Promise<EvidenceItem[]>;
}

@Injectable()
export class LinkedEvidenceRegistry {
  private readonly sources = new Map<string, LinkedEvidenceSource>();

  register(source: LinkedEvidenceSource): void {
    if (this.sources.has(source.key)) throw new Error(`linked evidence source ${source.key} registered twice`);
    this.sources.set(source.key, source);
  }

  /** Every source's items for the enterprise, in the order the sources registered. */
  async list(em: EntityManager, enterpriseOrgId: number): Promise<EvidenceItem[]> {
    const lists = await Promise.all([...this.sources.values()].map((s) => s.list(em, enterpriseOrgId)));
    return lists.flat();
  }
}
