import { Card, CardContent, Typography } from '@mui/material';
import { INDUSTRIES, MAJORS, PRACTICE_FORMS, TEACHER_EMPLOYMENTS, type PracticePostDto } from '@portal/contracts';
import type { ReactNode } from 'react';

/** Choices drawn from the contracts (the server's own words). */
export const formChoices = Object.entries(PRACTICE_FORMS).map(([id, name]) => ({ id, name }));
export const employmentChoices = Object.entries(TEACHER_EMPLOYMENTS).map(([id, name]) => ({ id, name }));
/** The catalogue's majors by name (posts and teachers name their major in words: a post's filter matches it exactly). */
export const majorNameChoices = MAJORS.map((m) => ({ id: m.name, name: m.name }));
/** A post as a choice: its title, enterprise and period (several enterprises publish posts of the same title). */
export const postChoiceText = (p: PracticePostDto) => `${p.title}（${p.enterpriseName}，${p.startDate} 至 ${p.endDate}）`;
export const industryName = (code: string | null | undefined) => INDUSTRIES.find((i) => i.code === code)?.name ?? '—';

/** A titled card section of the practice pages. */
export function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1.5, display: 'flex', alignItems: 'center', gap: 1 }}>
          <span style={{ flex: 1 }}>{title}</span>
          {action}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

/** Label/value rows. */
export function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 6, margin: 0 }}>
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt style={{ color: '#666' }}>{k}</dt>
          <dd style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
