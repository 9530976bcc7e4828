import { Injectable } from '@nestjs/common';
import type { EvidenceItem } from '@portal/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Evidence of vocational-education cooperation that the portal itself holds (DOMAIN.md §1: "the portal's own
 * order-class and practice data count as evidence"): each feature that holds such records registers a source
 * when its module starts, and an enterprise's certification application lists what the sources find, linked and
 * read-only, beside what the enterprise typed. It lives below the features so that none imports another
 * (features never import each other: .dependency-cruiser.cjs).
 *
 * Whoever reads the application reads every item's description; the link to the record (`sourceRef`) is only for
 * a viewer the record's own read rule lets in, so that a reviewer is never sent to a 404 (`linkable`). The viewer
 * is the caller's identity (identity's Actor: core does not know its type, the features do).
 */
export interface LinkedEvidenceSource<Viewer = unknown> {
  key: Exclude<EvidenceItem['source'], 'manual'>;
  /** the records' resource: items link to `<resource>/<id>` (GET /api/<resource>/<id>, the web app's `/<resource>/<id>/show`) */
  resource: string;
  /** the enterprise's items, each with `source` = key and `sourceRef` = '<resource>/<id>' for the web app to link */
  list(em: EntityManager, enterpriseOrgId: number): Promise<EvidenceItem[]>;
  /**
   * Of these record ids, those the viewer may open — the ones GET /api/<resource>/<id> answers 200 —, in one
   * statement for all of them, by the same rule as that GET.
   */
  opens(em: EntityManager, viewer: Viewer, ids: number[]): Promise<Set<number>>;
}

/** `<resource>/<id>` */
const REF = /^([a-z][a-z0-9-]*)\/([1-9][0-9]{0,14})$/;

@Injectable()
export class LinkedEvidenceRegistry {
  private readonly sources = new Map<string, LinkedEvidenceSource>();

  register<Viewer>(source: LinkedEvidenceSource<Viewer>): void {
    if (this.sources.has(source.key)) throw new Error(`linked evidence source ${source.key} registered twice`);
    if ([...this.sources.values()].some((s) => s.resource === source.resource)) throw new Error(`linked evidence resource ${source.resource} registered twice`);
    // the viewer is passed through as the caller gave it (an Actor, for every source)
    this.sources.set(source.key, source);
  }

  /** Every source's items for the enterprise, in the order the sources registered. */
  async list(em: EntityManager, enterpriseOrgId: number): Promise<EvidenceItem[]> {
    const lists = await Promise.all([...this.sources.values()].map((s) => s.list(em, enterpriseOrgId)));
    return lists.flat();
  }

  /**
   * The items as `viewer` is shown them: an item keeps its `sourceRef` only when the viewer may open the record it
   * names (a registered resource, and the source's `opens`); the others keep everything else, their description
   * included. One statement per source that is named, whatever the number of items; the items are not changed.
   */
  async linkable(em: EntityManager, viewer: unknown, items: readonly EvidenceItem[]): Promise<EvidenceItem[]> {
    const wanted = new Map<string, Set<number>>();
    for (const e of items) {
      const m = e.sourceRef ? REF.exec(e.sourceRef) : null;
      if (m) wanted.set(m[1], (wanted.get(m[1]) ?? new Set()).add(Number(m[2])));
    }
    const opened = new Map<string, Set<number>>();
    await Promise.all(
      [...this.sources.values()]
        .filter((s) => wanted.has(s.resource))
        .map(async (s) => opened.set(s.resource, await s.opens(em, viewer, [...wanted.get(s.resource)!]))),
    );
    return items.map((e) => {
      if (e.sourceRef === undefined) return e;
      const m = REF.exec(e.sourceRef);
      if (m && opened.get(m[1])?.has(Number(m[2]))) return e;
      const { sourceRef: _, ...rest } = e;
      return rest;
    });
  }
}
