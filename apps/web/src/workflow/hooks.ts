import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  isFullCaseSummary,
  type AttachmentDto,
  type CaseEventDto,
  type CaseSummaryDto,
  type CaseSummaryInRecord,
  type ObjectionDto,
  type WorkflowDefinitionDto,
} from '@portal/contracts';
import { useCallback, useEffect } from 'react';
import { usePortalApi } from '../common/api';

/** The parts of a case the pages read; all keyed under the case ref so an action refreshes them together. */
export type { AttachmentDto, ObjectionDto };

export const caseKey = (ref: string) => ['case', ref] as const;
export const casePartKey = (ref: string, part: string) => ['case-part', ref, part] as const;

export const casePath = (ref: string, tail = '') => `/cases/${encodeURIComponent(ref)}${tail}`;

/** A workflow definition (states, transitions): it never changes while the app runs. */
export function useDefinition(key: string | undefined) {
  const api = usePortalApi();
  return useQuery({
    queryKey: ['workflow-def', key],
    queryFn: () => api.get<WorkflowDefinitionDto>(`/workflows/${encodeURIComponent(key!)}`),
    enabled: !!key,
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function useDefinitions() {
  const api = usePortalApi();
  return useQuery({
    queryKey: ['workflow-defs'],
    queryFn: () => api.get<WorkflowDefinitionDto[]>('/workflows'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/**
 * The case as the current user sees it (state, version, allowedActions, open return). `initial`: the summary the
 * page's own record carries; it seeds the query only when it is a detail view's summary (a list row's light one has
 * no allowed actions), and when it is newer than what this query last saw (someone else acted since, and the record
 * was just refetched), it replaces the cached one for every component showing the case.
 */
export function useCase(ref: string | undefined, initial?: CaseSummaryInRecord) {
  const api = usePortalApi();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: caseKey(ref ?? ''),
    queryFn: () => api.get<CaseSummaryDto>(casePath(ref!)),
    enabled: !!ref,
    initialData: isFullCaseSummary(initial) && initial.ref === ref ? initial : undefined,
    staleTime: 5_000,
  });
  const cached = query.data;
  useEffect(() => {
    if (!ref || !initial || initial.ref !== ref || !cached || initial.version <= cached.version) return;
    if (isFullCaseSummary(initial)) client.setQueryData(caseKey(ref), initial);
    else void client.invalidateQueries({ queryKey: caseKey(ref) });
  }, [client, ref, initial, cached]);
  return query;
}

export function useCaseEvents(ref: string) {
  const api = usePortalApi();
  return useQuery({ queryKey: casePartKey(ref, 'events'), queryFn: () => api.get<CaseEventDto[]>(casePath(ref, '/events')) });
}

export function useCaseAttachments(ref: string) {
  const api = usePortalApi();
  return useQuery({ queryKey: casePartKey(ref, 'attachments'), queryFn: () => api.get<AttachmentDto[]>(casePath(ref, '/attachments')) });
}

export function useCaseObjections(ref: string, enabled = true) {
  const api = usePortalApi();
  return useQuery({ queryKey: casePartKey(ref, 'objections'), queryFn: () => api.get<ObjectionDto[]>(casePath(ref, '/objections')), enabled });
}

/** Refresh everything shown about a case after a change; the summary itself is replaced by the server's answer when there is one. */
export function refreshCase(client: QueryClient, ref: string, answer?: CaseSummaryDto): void {
  if (answer) client.setQueryData(caseKey(ref), answer);
  else void client.invalidateQueries({ queryKey: caseKey(ref) });
  void client.invalidateQueries({ queryKey: ['case-part', ref] });
  // lists and counters that may show the case
  void client.invalidateQueries({ queryKey: ['tasks'] });
  void client.invalidateQueries({ queryKey: ['notifications'] });
}

export function useRefreshCase() {
  const client = useQueryClient();
  return useCallback((ref: string, answer?: CaseSummaryDto) => refreshCase(client, ref, answer), [client]);
}
