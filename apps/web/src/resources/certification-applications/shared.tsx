import { Card, CardContent, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** A titled card section of the application pages. */
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
