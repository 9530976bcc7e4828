import DownloadIcon from '@mui/icons-material/Download';
import { Box, Button, LinearProgress, Snackbar, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { CreateButton, FilterButton, TopToolbar, useListContext, useNotify, useResourceDefinition, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from './api';

/**
 * 导出 Excel: the list's own filter and sort, exported by the server (GET /api/<resource>/export) page by page
 * and streamed; a long download shows how much has arrived. Put it in a list's actions toolbar.
 */
export function ExportButton({ resource: fixed }: { resource?: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const list = useListContext();
  const { resource, sort, total } = list;
  const filterValues = list.filterValues as Record<string, unknown>;
  const [received, setReceived] = useState<number | null>(null);
  const run = async () => {
    setReceived(0);
    try {
      const path = listPath(`${fixed ?? resource}/export`, { filter: filterValues, sort: sort ? [sort.field, sort.order] : undefined });
      await api.download(path, 'export.xlsx', setReceived);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setReceived(null);
    }
  };
  return (
    <>
      <Button size="small" startIcon={<DownloadIcon />} onClick={() => void run()} disabled={received !== null || total === 0} data-testid="export-button">
        {translate('app.reporting.export')}
      </Button>
      <Snackbar open={received !== null} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        <Box sx={{ bgcolor: 'background.paper', boxShadow: 3, borderRadius: 1, p: 2, minWidth: 320 }} data-testid="export-progress">
          <Typography variant="body2" gutterBottom>
            {translate('app.reporting.exporting', { total: total ?? 0, size: ((received ?? 0) / 1024).toFixed(0) })}
          </Typography>
          <LinearProgress />
        </Box>
      </Snackbar>
    </>
  );
}

/** A list's toolbar as react-admin draws it by default (filters, create), with the server export instead of the client one. */
export function ExportActions({ children }: { children?: ReactNode }) {
  const { hasCreate } = useResourceDefinition();
  return (
    <TopToolbar>
      <FilterButton />
      {hasCreate && <CreateButton />}
      {children}
      <ExportButton />
    </TopToolbar>
  );
}
