import { Alert, Card, CardContent, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { ROLE_LABELS, isRole } from '@portal/contracts';
import { useState } from 'react';
import { Loading, Title, useTranslate } from 'react-admin';
import { errorMessage } from '../common/api';
import { useDefinitions } from '../workflow/hooks';
import { stateLabel } from '../workflow/stages';
import { WorkflowDiagram } from '../workflow/WorkflowDiagram';

const who = (r: string) => (r === 'owner' ? '申请单位' : r === 'system' ? '系统' : isRole(r) ? ROLE_LABELS[r].zh : r);

/** 流程图 (admin): each workflow definition as a diagram, with its transitions as a table. */
export function WorkflowsPage() {
  const translate = useTranslate();
  const { data, isPending, error } = useDefinitions();
  const [key, setKey] = useState<string>('');
  if (isPending) return <Loading />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const defs = data ?? [];
  const def = defs.find((d) => d.key === key) ?? defs[0];
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.workflows')} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
            <TextField
              select
              size="small"
              label={translate('app.workflows.choose')}
              value={def?.key ?? ''}
              onChange={(e) => setKey(e.target.value)}
              sx={{ width: 320, flexShrink: 0 }}
            >
              {defs.map((d) => (
                <MenuItem key={d.key} value={d.key}>
                  {d.title}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" color="text.secondary">
              {translate('app.workflows.counts', { states: def?.states.length ?? 0, transitions: def?.transitions.length ?? 0 })}
            </Typography>
          </Stack>
          {def && <WorkflowDiagram definition={def} />}
        </CardContent>
      </Card>
      {def && (
        <Card>
          <CardContent>
            <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1 }}>
              {translate('app.workflows.transitions')}
            </Typography>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.workflows.from')}</TableCell>
                  <TableCell>{translate('app.workflows.action')}</TableCell>
                  <TableCell>{translate('app.workflows.to')}</TableCell>
                  <TableCell>{translate('app.workflows.by')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {def.transitions.map((t, i) => (
                  <TableRow key={i}>
                    <TableCell>{stateLabel(def, t.from)}</TableCell>
                    <TableCell>{t.label}</TableCell>
                    <TableCell>{t.to.startsWith('@') ? translate('app.workflows.returned_from') : stateLabel(def, t.to)}</TableCell>
                    <TableCell>{t.roles.map(who).join('、')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </Stack>
  );
}
