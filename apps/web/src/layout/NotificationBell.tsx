import DoneAllIcon from '@mui/icons-material/DoneAll';
import MarkEmailReadIcon from '@mui/icons-material/MarkEmailRead';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { Badge, Box, Button, CircularProgress, Divider, IconButton, Menu, MenuItem, Stack, Tooltip, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationDto } from '@portal/contracts';
import { useState, type MouseEvent } from 'react';
import { useNavigate, useNotify, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../common/api';
import { formatDateTime } from '../common/format';
import { getToken } from '../providers/session';

const POLL_MS = 30_000;

/**
 * The bell of the app bar: the unread count (polled every 30 s), a menu of the latest notifications with
 * 标为已读 and 全部已读; a notification about a case opens it.
 */
export function NotificationBell() {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const loggedIn = !!getToken();

  const unread = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: () => api.get<{ count: number }>('/notifications/unread-count'),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    enabled: loggedIn,
    retry: false,
  });
  const latest = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => api.get<NotificationDto[]>(listPath('notifications', { sort: ['id', 'DESC'], range: [0, 9] })),
    enabled: loggedIn && !!anchor,
  });

  const refreshAll = () => void client.invalidateQueries({ queryKey: ['notifications'] });

  const markRead = async (n: NotificationDto, e?: MouseEvent) => {
    e?.stopPropagation();
    if (n.readAt) return;
    try {
      await api.post(`/notifications/${n.id}/read`);
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    }
    refreshAll();
  };
  const markAll = async () => {
    try {
      await api.post('/notifications/read-all');
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    }
    refreshAll();
  };
  const open = (n: NotificationDto) => {
    void markRead(n);
    setAnchor(null);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
  };

  if (!loggedIn) return null;
  const count = unread.data?.count ?? 0;
  return (
    <>
      <Tooltip title={translate('app.notifications.title')}>
        <IconButton
          color="inherit"
          onClick={(e) => setAnchor(e.currentTarget)}
          aria-label={translate('app.notifications.aria', { count })}
          data-testid="notification-bell"
        >
          <Badge badgeContent={count} color="secondary" max={99}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Menu
        anchorEl={anchor}
        open={!!anchor}
        onClose={() => setAnchor(null)}
        slotProps={{ paper: { sx: { width: 380, maxWidth: '94vw' } } }}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      >
        <Stack direction="row" sx={{ px: 2, py: 1, alignItems: 'center' }}>
          <Typography variant="subtitle1" sx={{ flex: 1, fontWeight: 600 }}>
            {translate('app.notifications.title')}
          </Typography>
          <Button size="small" startIcon={<DoneAllIcon />} onClick={() => void markAll()} disabled={count === 0}>
            {translate('app.notifications.read_all')}
          </Button>
        </Stack>
        <Divider />
        {latest.isPending ? (
          <Box sx={{ p: 2, textAlign: 'center' }}>
            <CircularProgress size={20} />
          </Box>
        ) : (latest.data ?? []).length === 0 ? (
          <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
            {translate('app.notifications.none')}
          </Typography>
        ) : (
          (latest.data ?? []).map((n) => (
            <MenuItem
              key={n.id}
              onClick={() => open(n)}
              sx={{ alignItems: 'flex-start', whiteSpace: 'normal', gap: 1, py: 1 }}
              data-unread={n.readAt ? undefined : 'true'}
            >
              <Box sx={{ width: 8, height: 8, borderRadius: '50%', mt: 0.9, flexShrink: 0, bgcolor: n.readAt ? 'transparent' : 'secondary.main' }} />
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Typography variant="body2" sx={{ fontWeight: n.readAt ? 400 : 600 }}>
                  {n.title}
                </Typography>
                {n.body && (
                  <Typography variant="caption" color="text.secondary" component="div">
                    {n.body}
                  </Typography>
                )}
                <Typography variant="caption" color="text.secondary">
                  {formatDateTime(n.createdAt)}
                </Typography>
              </Box>
              {!n.readAt && (
                <Tooltip title={translate('app.notifications.mark_read')}>
                  <IconButton size="small" aria-label={translate('app.notifications.mark_read')} onClick={(e) => void markRead(n, e)}>
                    <MarkEmailReadIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
              )}
            </MenuItem>
          ))
        )}
      </Menu>
    </>
  );
}
