import { Box, Typography } from '@mui/material';
import { MAX_LIST_OFFSET } from '@portal/contracts';
import { Pagination, useListContext, useTranslate } from 'react-admin';

/**
 * react-admin's pagination, saying so when the total is the server's estimate (a list of more rows than it counts
 * exactly): 约 1,000,000 条（估计值…）. Use as a big list's `pagination`.
 */
export function PortalPagination() {
  const list = useListContext();
  const translate = useTranslate();
  const total = list.total;
  const estimated = (list.meta as { totalEstimated?: boolean } | undefined)?.totalEstimated === true;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', flexWrap: 'wrap' }}>
      {estimated && (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2 }} data-testid="total-estimated">
          {translate('app.common.total_estimated', { total: (total ?? 0).toLocaleString('zh-CN'), max: MAX_LIST_OFFSET.toLocaleString('zh-CN') })}
        </Typography>
      )}
      <Pagination />
    </Box>
  );
}
