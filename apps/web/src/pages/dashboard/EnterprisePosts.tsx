import { Alert, Box, Card, CardContent, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import type { PracticeApplicationDto, PracticePostDto } from '@portal/contracts';
import { Link, Loading, useGetList, useTranslate } from 'react-admin';
import { errorMessage, listPath } from '../../common/api';
import { formatDateTime } from '../../common/format';

/** Rows shown on the home page; the rest are one click away in the lists. */
const SHOWN = 5;
/** An application the teacher's school has let go: it awaits the enterprise's acceptance (PRACTICE_APPLICATION_ACTIONS.accept). */
const AWAITING_ACCEPTANCE = 'school_approved';

/**
 * An enterprise applicant's home page (issue 12: "an enterprise its certification, order classes and posts"): its
 * 千企万岗 posts (DOMAIN.md §3) — those open with openings left (fewest left first), how many it has in all, and the
 * applications its teachers' schools have approved, awaiting its acceptance — each count a link to its list, filtered
 * to the enterprise's own. From the `practice-posts` list (filter enterpriseId, available) and the
 * `practice-applications` list (the server scopes it to the enterprise's posts).
 */
export function EnterprisePosts({ enterpriseId }: { enterpriseId: number }) {
  const translate = useTranslate();
  const openFilter = { enterpriseId, available: true };
  const open = useGetList<PracticePostDto>('practice-posts', {
    filter: openFilter,
    sort: { field: 'remaining', order: 'ASC' },
    pagination: { page: 1, perPage: SHOWN },
  });
  const all = useGetList<PracticePostDto>('practice-posts', { filter: { enterpriseId }, pagination: { page: 1, perPage: 1 } });
  const awaitingFilter = { status: AWAITING_ACCEPTANCE };
  const awaiting = useGetList<PracticeApplicationDto>('practice-applications', {
    filter: awaitingFilter,
    sort: { field: 'updatedAt', order: 'ASC' },
    pagination: { page: 1, perPage: SHOWN },
  });
  const error = open.error ?? all.error ?? awaiting.error;
  return (
    <Card data-testid="enterprise-posts">
      <CardContent>
        <Typography variant="h6">{translate('app.practice.home_posts_title')}</Typography>
        {open.isPending || all.isPending || awaiting.isPending ? (
          <Loading />
        ) : error ? (
          <Alert severity="warning">{errorMessage(error)}</Alert>
        ) : (
          <>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', my: 1 }} data-testid="enterprise-posts-summary">
              <Link to={listPath('practice-posts', { filter: openFilter })} data-testid="enterprise-posts-open">
                <Chip size="small" color="success" clickable label={translate('app.practice.home_posts_open', { n: open.total ?? 0 })} />
              </Link>
              <Link to={listPath('practice-posts', { filter: { enterpriseId } })} data-testid="enterprise-posts-all">
                <Chip size="small" variant="outlined" clickable label={translate('app.practice.home_posts_all', { n: all.total ?? 0 })} />
              </Link>
              <Link to={listPath('practice-applications', { filter: awaitingFilter })} data-testid="enterprise-posts-awaiting">
                <Chip
                  size="small"
                  color={awaiting.total ? 'primary' : 'default'}
                  clickable
                  label={translate('app.practice.home_posts_awaiting', { n: awaiting.total ?? 0 })}
                />
              </Link>
            </Stack>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
              <Box data-testid="enterprise-posts-open-list">
                <Typography variant="subtitle2" color="text.secondary">
                  {translate('app.practice.home_posts_open_title')}
                </Typography>
                {!open.data?.length ? (
                  <Alert severity="info" sx={{ mt: 1 }}>
                    {translate(all.total ? 'app.practice.home_posts_none_open' : 'app.practice.home_posts_none')}
                  </Alert>
                ) : (
                  <List dense>
                    {open.data.map((p) => (
                      <ListItem key={p.id} disableGutters data-testid={`enterprise-post-${p.id}`}>
                        <ListItemText primary={p.title} secondary={`${p.major} · ${p.startDate} ~ ${p.endDate}`} />
                        <Chip
                          size="small"
                          color={p.remaining <= 1 ? 'warning' : 'default'}
                          label={translate('app.practice.home_posts_remaining', { remaining: p.remaining, openings: p.openings })}
                        />
                      </ListItem>
                    ))}
                  </List>
                )}
              </Box>
              <Box data-testid="enterprise-posts-awaiting-list">
                <Typography variant="subtitle2" color="text.secondary">
                  {translate('app.practice.home_posts_awaiting_title')}
                </Typography>
                {!awaiting.data?.length ? (
                  <Alert severity="success" sx={{ mt: 1 }}>
                    {translate('app.practice.home_posts_awaiting_none')}
                  </Alert>
                ) : (
                  <List dense>
                    {awaiting.data.map((a) => (
                      <ListItem key={a.id} disableGutters data-testid={`enterprise-application-${a.id}`}>
                        <ListItemText primary={`${a.teacherName} · ${a.schoolName}`} secondary={`${a.postTitle} · ${formatDateTime(a.updatedAt)}`} />
                      </ListItem>
                    ))}
                  </List>
                )}
              </Box>
            </Box>
          </>
        )}
      </CardContent>
    </Card>
  );
}
