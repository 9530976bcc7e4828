import { Alert, AlertTitle, Box, Button, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import type { InvitationAcceptedDto, InvitationDto } from '@portal/contracts';
import { useState, type ReactNode } from 'react';
import { useLogout, useNavigate, useNotify, useTranslate } from 'react-admin';
import { errorMessage } from '../common/api';
import { formatDate } from '../common/format';
import { useMe } from '../common/useMe';
import { ApiError, apiFetch, clearSession, forgetInvitation, getToken, rememberInvitation } from '../providers/session';
import { useOpenCase } from '../workflow/CasePage';
import { AuthShell, PortalHeading } from './AuthShell';
import { useInvitationLookup, useInvitationToken, wellFormedInvitation } from './invitation-lookup';

const STATUS_COLOR = { pending: 'warning', accepted: 'success', expired: 'default' } as const;

/** Who invited, to what, as what, which credit code, until when, and where the invitation stands. */
function InvitationFacts({ inv }: { inv: InvitationDto }) {
  const translate = useTranslate();
  const rows: Array<[string, string]> = [
    ['inviter', inv.inviter],
    ['subject', `${inv.workflowTitle}：${inv.title}`],
    ['party', inv.partyLabel],
    ['credit_code', inv.creditCode],
    ['expires_at', formatDate(inv.expiresAt)],
  ];
  return (
    <Box
      component="dl"
      data-testid="invitation-facts"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: 'max-content 1fr' },
        columnGap: 3,
        rowGap: 1,
        m: 0,
        p: 2,
        bgcolor: 'grey.50',
        borderRadius: 1,
      }}
    >
      {rows.map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`app.invitations.${key}`)}
          </Typography>
          <Typography
            component="dd"
            variant="body2"
            sx={{ m: 0, fontWeight: key === 'credit_code' ? 600 : undefined, overflowWrap: 'anywhere' }}
            data-field={key}
          >
            {value}
          </Typography>
        </Box>
      ))}
      <Typography component="dt" variant="body2" color="text.secondary">
        {translate('app.invitations.status')}
      </Typography>
      <Box component="dd" sx={{ m: 0 }}>
        <Chip size="small" color={STATUS_COLOR[inv.status]} label={translate(`app.invitations.status_${inv.status}`)} data-testid="invitation-status" />
      </Box>
    </Box>
  );
}

/** A logged-in visitor accepts for their organisation; the server decides whether it is the invited one. */
function AcceptPanel({ token, inv, onLoggedOut }: { token: string; inv: InvitationDto; onLoggedOut: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const logout = useLogout();
  const openCase = useOpenCase();
  const { me } = useMe();
  const [busy, setBusy] = useState(false);
  // the server's refusal; `final` when trying again cannot help (another organisation, a role, expired, replaced)
  const [error, setError] = useState<{ message: string; final: boolean } | null>(null);

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await apiFetch<InvitationAcceptedDto>('/invitations/accept', { method: 'POST', json: { token } });
      forgetInvitation();
      notify('app.invitations.accepted', { type: 'success' });
      await openCase(res.caseRef);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        // the session ended meanwhile: log in again, and come back here
        clearSession();
        rememberInvitation(token);
        onLoggedOut();
        return;
      }
      const status = e instanceof ApiError ? e.status : 0;
      setError({ message: errorMessage(e), final: status >= 400 && status < 500 && status !== 429 });
    } finally {
      setBusy(false);
    }
  };

  /** Log out, keeping the invitation: the next login comes back to this page. */
  const switchAccount = async () => {
    await logout();
    rememberInvitation(token);
  };

  return (
    <Stack spacing={2}>
      {me && (
        <Alert severity="info" data-testid="invitation-account">
          {translate('app.invitations.logged_in_as', { name: me.displayName, organisation: me.organisation.name, party: inv.partyLabel })}
        </Alert>
      )}
      {error && (
        <Alert severity="error" data-testid="invitation-error">
          <AlertTitle>{translate('app.invitations.failed')}</AlertTitle>
          {error.message}
        </Alert>
      )}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ justifyContent: 'flex-end' }}>
        {/* after a final refusal, logging in with another account is the way on (a new button: no colour transition) */}
        <Button
          key={error?.final ? 'way-on' : 'aside'}
          variant={error?.final ? 'contained' : 'outlined'}
          color={error?.final ? 'primary' : 'inherit'}
          onClick={() => void switchAccount()}
          data-testid="invitation-switch"
        >
          {translate('app.invitations.switch_account')}
        </Button>
        {!error?.final && (
          <Button
            variant="contained"
            size="large"
            disabled={busy}
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
            onClick={() => void accept()}
            data-testid="invitation-accept"
          >
            {translate(busy ? 'app.invitations.accepting' : 'app.invitations.accept')}
          </Button>
        )}
      </Stack>
    </Stack>
  );
}

/** Not logged in: log in with the invited organisation's account, or register it first (the one that fits is highlighted). */
function LoginOrRegister({ token, inv }: { token: string; inv: InvitationDto }) {
  const translate = useTranslate();
  const navigate = useNavigate();
  return (
    <Stack spacing={2}>
      <Alert severity="info" data-testid="invitation-login-hint">
        {translate('app.invitations.need_login', { code: inv.creditCode })}
        <br />
        {translate(inv.registered ? 'app.invitations.hint_registered' : 'app.invitations.hint_unregistered')}
      </Alert>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ justifyContent: 'center' }}>
        <Button
          variant={inv.registered ? 'contained' : 'outlined'}
          size="large"
          onClick={() => {
            rememberInvitation(token);
            navigate('/login');
          }}
          data-testid="invitation-login"
        >
          {translate('app.invitations.login_then_accept')}
        </Button>
        <Button
          variant={inv.registered ? 'outlined' : 'contained'}
          size="large"
          onClick={() => {
            rememberInvitation(token);
            navigate(`/register?invitation=${encodeURIComponent(token)}`);
          }}
          data-testid="invitation-register"
        >
          {translate('app.invitations.register_then_accept')}
        </Button>
      </Stack>
    </Stack>
  );
}

/**
 * `/invitations/accept?invitation=TOKEN`, the link of an invitation mail (public, like /register): what the invitation
 * is, then accept it (logged in), or log in or register first and come back here (the token is remembered for the tab,
 * and authProvider.login returns here).
 */
export function InvitationAcceptPage() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const token = useInvitationToken();
  const { data: inv, error, isPending } = useInvitationLookup(token);
  const [loggedIn, setLoggedIn] = useState(() => !!getToken());

  const home = (
    <Box sx={{ textAlign: 'center' }}>
      <Button onClick={() => navigate(loggedIn ? '/' : '/login')}>{translate(loggedIn ? 'app.invitations.to_home' : 'app.invitations.to_login')}</Button>
    </Box>
  );

  let body: ReactNode;
  if (!wellFormedInvitation(token)) {
    body = (
      <Stack spacing={2}>
        <Alert severity="error" data-testid="invitation-unusable">
          <AlertTitle>{translate('app.invitations.unusable')}</AlertTitle>
          {translate('app.invitations.missing_token')}
        </Alert>
        {home}
      </Stack>
    );
  } else if (error) {
    body = (
      <Stack spacing={2}>
        <Alert severity="error" data-testid="invitation-unusable">
          <AlertTitle>{translate('app.invitations.unusable')}</AlertTitle>
          {errorMessage(error)}
        </Alert>
        {home}
      </Stack>
    );
  } else if (isPending || !inv) {
    body = (
      <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
        <CircularProgress />
      </Box>
    );
  } else {
    body = (
      <Stack spacing={2}>
        <InvitationFacts inv={inv} />
        {inv.status === 'pending' && loggedIn && <AcceptPanel token={token} inv={inv} onLoggedOut={() => setLoggedIn(false)} />}
        {inv.status === 'pending' && !loggedIn && <LoginOrRegister token={token} inv={inv} />}
        {inv.status === 'accepted' && (
          <>
            <Alert severity="success" data-testid="invitation-closed">
              {translate('app.invitations.already_accepted')}
            </Alert>
            {home}
          </>
        )}
        {inv.status === 'expired' && (
          <>
            <Alert severity="warning" data-testid="invitation-closed">
              {translate('app.invitations.expired', { date: formatDate(inv.expiresAt), inviter: inv.inviter })}
            </Alert>
            {home}
          </>
        )}
      </Stack>
    );
  }

  return (
    <AuthShell width={640}>
      <PortalHeading subtitle={translate('app.invitations.title')} />
      <Box sx={{ mt: 2 }} data-testid="invitation-page">
        {body}
      </Box>
    </AuthShell>
  );
}
