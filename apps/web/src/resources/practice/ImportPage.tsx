import { Alert, Box, Button, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ImportPreview } from './types';
import { useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { Section } from './shared';

/** 历年记录导入 (school): template, upload → preview (row by row), then commit all good rows at once. */
export function ImportPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      setPreview(await api.post<ImportPreview>('/practice-records/imports', body));
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const done = await api.post<ImportPreview>(`/practice-records/imports/${preview.id}/commit`);
      setPreview(done);
      notify(translate('app.practice.committed', { n: done.imported ?? 0 }), { type: 'success' });
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.practice_import')} />
      <Section title={translate('app.practice.import_title')}>
        <Stack spacing={2}>
          <Typography variant="body2">{translate('app.practice.import_help')}</Typography>
          <Stack direction="row" spacing={2}>
            <Button variant="outlined" onClick={() => void api.download('/practice-records/imports/template', '历年教师企业实践记录.xlsx')}>
              {translate('app.practice.template')}
            </Button>
            <Button variant="contained" component="label" disabled={busy}>
              {translate('app.practice.upload')}
              <input
                hidden
                type="file"
                accept=".xlsx,.csv"
                data-testid="practice-import-file"
                onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
              />
            </Button>
          </Stack>
        </Stack>
      </Section>
      {preview && (
        <Section
          title={translate('app.practice.preview', { total: preview.total, good: preview.good, bad: preview.bad.length })}
          testId="practice-import-preview"
        >
          <Stack spacing={2}>
            {preview.status === 'committed' ? (
              <Alert severity="success" data-testid="practice-import-committed">
                {translate('app.practice.committed', { n: preview.imported ?? 0 })}
              </Alert>
            ) : (
              <Box>
                <Button
                  variant="contained"
                  color="success"
                  disabled={busy || preview.good === 0}
                  onClick={() => void commit()}
                  data-testid="practice-import-commit"
                >
                  {translate('app.practice.commit', { good: preview.good })}
                </Button>
              </Box>
            )}
            {preview.bad.length > 0 && (
              <Table size="small" data-testid="practice-import-bad-rows">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('app.practice.row')}</TableCell>
                    <TableCell>{translate('resources.teachers.fields.username')}</TableCell>
                    <TableCell>{translate('app.practice.problems')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {preview.bad.map((b) => (
                    <TableRow key={b.row} data-testid={`practice-import-row-${b.row}`}>
                      <TableCell>{b.row}</TableCell>
                      <TableCell>{b.cells.username ?? ''}</TableCell>
                      <TableCell>{b.problems.join('；')}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Stack>
        </Section>
      )}
    </Stack>
  );
}
