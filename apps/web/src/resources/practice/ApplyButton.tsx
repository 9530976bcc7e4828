import { Button, Chip } from '@mui/material';
import type { PracticePostDto } from '@portal/contracts';
import { useState } from 'react';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';

/**
 * A teacher's 申请 on a 千企万岗 post (its row in the list, its page): the teacher's own live application's state
 * instead once there is one, or why the post takes none.
 */
export function ApplyButton({ post }: { post: PracticePostDto }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  // the teacher's own live application: its state, not a second apply (the server refuses one anyway)
  if (post.myApplication) return <Chip size="small" color="primary" variant="outlined" label={post.myApplication.stateLabel} data-testid="my-application" />;
  if (post.status !== 'open') return <Chip size="small" label={translate('app.practice.closed')} />;
  if (post.remaining <= 0) return <Chip size="small" label={translate('app.practice.full')} />;
  const apply = async (e: React.MouseEvent) => {
    // in the list, applying does not open the row
    e.stopPropagation();
    setBusy(true);
    try {
      await api.post('/practice-applications', { postId: post.id });
      notify(translate('app.practice.applied'), { type: 'success' });
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" variant="contained" disabled={busy} onClick={(e) => void apply(e)} data-testid="apply-post" sx={{ whiteSpace: 'nowrap' }}>
      {translate('app.practice.apply')}
    </Button>
  );
}
