import { Box, Card, Tab, Tabs } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { CaseAttachments, type CaseAttachmentsProps } from './CaseAttachments';
import { CaseDiff } from './CaseDiff';
import { CaseTimeline } from './CaseTimeline';
import { useMe } from '../common/useMe';
import { useCase, useDefinition } from './hooks';
import { ObjectionsPanel } from './ObjectionsPanel';
import { WorkflowDiagram } from './WorkflowDiagram';

export interface CaseSectionsProps {
  caseRef: string;
  workflowKey: string;
  purposes?: CaseAttachmentsProps['purposes'];
  /** extra tabs before the standard ones */
  extraTabs?: Array<{ key: string; label: string; content: ReactNode }>;
  hideAttachments?: boolean;
}

/** The case's record in tabs: 办理记录 (timeline), 附件, 补正前后对比, 公示异议, 流程图. */
export function CaseSections({ caseRef, workflowKey, purposes, extraTabs = [], hideAttachments }: CaseSectionsProps) {
  const translate = useTranslate();
  const { data: summary } = useCase(caseRef);
  const { data: def } = useDefinition(workflowKey);
  const { me } = useMe();
  // objections name the objector (实名): for the reviewers, not for the applicant
  const hasPublicity = !!def?.states.some((s) => s.kind === 'timed') && !!summary && !!me && me.organisationId !== summary.ownerOrgId;
  const tabs: Array<{ key: string; label: string; content: ReactNode }> = [
    ...extraTabs,
    { key: 'timeline', label: translate('app.case.tab_timeline'), content: <CaseTimeline caseRef={caseRef} workflowKey={workflowKey} /> },
    ...(hideAttachments
      ? []
      : [
          {
            key: 'attachments',
            label: translate('app.case.tab_attachments'),
            content: <CaseAttachments caseRef={caseRef} workflowKey={workflowKey} purposes={purposes} />,
          },
        ]),
    ...((summary?.submissions ?? 0) >= 2 ? [{ key: 'diff', label: translate('app.case.tab_diff'), content: <CaseDiff caseRef={caseRef} /> }] : []),
    ...(hasPublicity ? [{ key: 'objections', label: translate('app.case.tab_objections'), content: <ObjectionsPanel caseRef={caseRef} /> }] : []),
    ...(def ? [{ key: 'diagram', label: translate('app.case.tab_diagram'), content: <WorkflowDiagram definition={def} current={summary?.state} /> }] : []),
  ];
  const [tab, setTab] = useState(tabs[0].key);
  const current = tabs.find((t) => t.key === tab) ?? tabs[0];
  return (
    <Card>
      <Tabs
        value={current.key}
        onChange={(_, v: string) => setTab(v)}
        variant="scrollable"
        scrollButtons="auto"
        sx={{ borderBottom: 1, borderColor: 'divider', px: 1 }}
      >
        {tabs.map((t) => (
          <Tab key={t.key} value={t.key} label={t.label} />
        ))}
      </Tabs>
      <Box sx={{ p: 2 }}>{current.content}</Box>
    </Card>
  );
}
