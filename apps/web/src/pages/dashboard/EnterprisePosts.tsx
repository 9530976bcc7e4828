import { Alert, Box, Card, CardContent, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import type { PracticePostDto } from '@portal/contracts';
import { Link, Loading, useGetList, useTranslate } from 'react-admin';
import { errorMessage, listPath } from '../../common/api';

/** Rows shown on the home page; the rest are one click away in the lists. */
const SHOWN = 5;

/**
 * An enterprise applicant's home page (issue 12: "an enterprise its certification, order classes and posts"): its
 * 千企万岗 posts (DOMAIN.md §3) — those open with openings left (fewest left first) and how many it has in all — each
 * count a link to its list, filtered to the enterprise's own. From the `practice-posts` list (filter enterpriseId,
 * available). The applications awaiting its acceptance are pending work: EnterprisePending shows them, first.
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
  const error = open.error ?? all.error;
  return (
    <Card data-testid="enterprise-posts">
      <CardContent>
        <Typography variant="h6">{translate('app.practice.home_posts_title')}</Typography>
        {open.isPending || all.isPending ? (
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
            </Stack>
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
          </>
        )}
      </CardContent>
    </Card>
  );
}
