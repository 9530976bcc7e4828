import { Alert, AlertTitle, Box, Button, CircularProgress, Divider, Typography } from '@mui/material';
import { useRef, useState, type ReactNode } from 'react';
import { email, Form, Link, maxLength, minLength, PasswordInput, required, SelectInput, TextInput, useLogin, useNotify, useTranslate } from 'react-admin';
import { errorMessage } from '../common/api';
import { countyChoices, industryChoices } from '../common/choices';
import { formatDate } from '../common/format';
import { parseCreditCode, validateCreditCode, validatePasswordShape, validatePhone, validateUsername } from '../common/validators';
import { toHttpError } from '../providers/dataProvider';
import { ApiError, forgetInvitation, rememberInvitation } from '../providers/session';
import { AuthShell, PortalHeading } from './AuthShell';
import { useInvitationLookup, useInvitationToken, wellFormedInvitation } from './invitation-lookup';

const ORGANISATION_FIELDS = ['name', 'creditCode', 'countyCode', 'industry', 'address', 'contactName', 'contactPhone'] as const;
const USER_FIELDS = ['username', 'password', 'displayName', 'email', 'phone'] as const;

type Values = {
  organisation?: Partial<Record<(typeof ORGANISATION_FIELDS)[number], string | null>>;
  user?: Partial<Record<(typeof USER_FIELDS)[number], string | null>>;
  passwordConfirm?: string | null;
};

function pick<K extends string>(source: Partial<Record<K, string | null>> | undefined, keys: readonly K[]) {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = source?.[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = k === 'password' ? v : v.trim();
  }
  return out;
}

/** A 409 naming a unique constraint rather than a field: guess the field from the constraint's name. */
function fieldFromConstraint(details: unknown): string | undefined {
  const c = details && typeof details === 'object' ? (details as { constraint?: unknown }).constraint : undefined;
  if (typeof c !== 'string') return undefined;
  if (/credit/i.test(c)) return 'organisation.creditCode';
  if (/username/i.test(c)) return 'user.username';
  return undefined;
}

/** Server checks outside the DTO name bare fields ("password"): put them on this form's nested inputs. */
function qualify(field: string): string {
  if (field.includes('.')) return field;
  if ((USER_FIELDS as readonly string[]).includes(field)) return `user.${field}`;
  if ((ORGANISATION_FIELDS as readonly string[]).includes(field)) return `organisation.${field}`;
  return field;
}

const matchPassword = (value: unknown, all: Values) => (value && value !== all.user?.password ? 'app.register.password_mismatch' : undefined);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mt: 2 }}>
      <Typography component="legend" variant="subtitle1" sx={{ fontWeight: 600, color: 'primary.main', mb: 1 }}>
        {title}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, columnGap: 2 }}>{children}</Box>
    </Box>
  );
}

/** The invitation the registration comes from: who invites to what and with which credit code, or why its link is of no use. */
function InvitationNotice({ token, lookup }: { token: string; lookup: ReturnType<typeof useInvitationLookup> }) {
  const translate = useTranslate();
  const inv = lookup.data;
  if (wellFormedInvitation(token) && lookup.isPending) return null;
  if (inv?.status === 'pending')
    return (
      <Alert severity="info" sx={{ mt: 2 }} data-testid="invitation-banner">
        <AlertTitle>{translate('app.invitations.register_banner_title')}</AlertTitle>
        {translate('app.invitations.register_banner', {
          inviter: inv.inviter,
          party: inv.partyLabel,
          workflow: inv.workflowTitle,
          title: inv.title,
          code: inv.creditCode,
        })}
      </Alert>
    );
  const reason = !wellFormedInvitation(token)
    ? translate('app.invitations.missing_token')
    : inv?.status === 'accepted'
      ? translate('app.invitations.already_accepted')
      : inv?.status === 'expired'
        ? translate('app.invitations.expired', { date: formatDate(inv.expiresAt), inviter: inv.inviter })
        : errorMessage(lookup.error);
  return (
    <Alert severity="warning" sx={{ mt: 2 }} data-testid="invitation-banner">
      {translate('app.invitations.register_not_pending', { reason })}
    </Alert>
  );
}

const label = (resource: string, field: string) => `resources.${resource}.fields.${field}`;

/**
 * Public enterprise self-registration (/register): one form, one POST /api/auth/register-enterprise with
 * `{ organisation, user }`; the answer is a token, so the new applicant lands on the dashboard logged in.
 * Opened from an invitation (`/register?invitation=TOKEN`): it says who invites to what, prefills the invited credit
 * code, and remembers the invitation so that the new user lands on its accept page instead.
 */
export function RegisterPage() {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const invitationToken = useInvitationToken();
  const invitation = useInvitationLookup(invitationToken);
  const inv = invitation.data;

  const onSubmit = async (values: Values) => {
    setSubmitting(true);
    setServerError(null);
    // registering from an invitation mail: the login that follows goes back to accept it
    if (invitationToken && inv?.status === 'pending') rememberInvitation(invitationToken);
    try {
      await login({
        registration: {
          organisation: pick(values.organisation, ORGANISATION_FIELDS),
          user: pick(values.user, USER_FIELDS),
        },
      });
      notify('app.register.success', { type: 'success' });
      return undefined;
    } catch (e) {
      forgetInvitation();
      const status = e instanceof ApiError ? e.status : 0;
      const error = toHttpError(status, e instanceof ApiError ? e.body : null, e instanceof Error ? e.message : undefined);
      setServerError(error.message);
      window.requestAnimationFrame(() => alertRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' }));
      const body = error.body as { errors?: Record<string, string>; details?: unknown } | null;
      const errors: Record<string, string> = {};
      for (const [field, text] of Object.entries(body?.errors ?? {})) errors[qualify(field)] = text;
      const guessed = status === 409 ? fieldFromConstraint(body?.details) : undefined;
      if (guessed && !errors[guessed]) errors[guessed] = error.message;
      return Object.keys(errors).length ? errors : undefined;
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthShell>
      <PortalHeading subtitle={translate('app.register.title')} />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 2, lineHeight: 1.8 }}>
        {translate('app.register.intro')}
      </Typography>
      {invitationToken !== null && <InvitationNotice token={invitationToken} lookup={invitation} />}
      {serverError && (
        <Alert severity="error" sx={{ mt: 2 }} ref={alertRef} data-testid="register-error">
          <AlertTitle>{translate('app.register.failed')}</AlertTitle>
          {serverError}
        </Alert>
      )}
      {wellFormedInvitation(invitationToken) && invitation.isPending ? (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
          <CircularProgress />
        </Box>
      ) : (
        <Form onSubmit={onSubmit as never} noValidate defaultValues={inv?.status === 'pending' ? { organisation: { creditCode: inv.creditCode } } : undefined}>
          <Section title={translate('app.register.organisation')}>
            <TextInput
              source="organisation.name"
              label="app.register.organisation_name"
              validate={[required(), minLength(2), maxLength(100)]}
              sx={{ gridColumn: { sm: '1 / -1' } }}
            />
            <TextInput
              source="organisation.creditCode"
              label={label('organisations', 'creditCode')}
              helperText="app.organisations.credit_code_hint"
              parse={parseCreditCode}
              validate={[required(), validateCreditCode]}
              slotProps={{ htmlInput: { maxLength: 18, autoCapitalize: 'characters', spellCheck: false } }}
            />
            <SelectInput
              source="organisation.countyCode"
              label={label('organisations', 'countyCode')}
              choices={countyChoices}
              translateChoice={false}
              validate={required()}
            />
            <SelectInput
              source="organisation.industry"
              label={label('organisations', 'industry')}
              choices={industryChoices}
              translateChoice={false}
              validate={required()}
            />
            <TextInput source="organisation.address" label={label('organisations', 'address')} validate={maxLength(200)} />
            <TextInput source="organisation.contactName" label={label('organisations', 'contactName')} validate={[required(), maxLength(50)]} />
            <TextInput source="organisation.contactPhone" label={label('organisations', 'contactPhone')} validate={[required(), validatePhone]} />
          </Section>
          <Divider sx={{ mt: 1 }} />
          <Section title={translate('app.register.user')}>
            <TextInput source="user.username" label={label('users', 'username')} validate={[required(), validateUsername]} autoComplete="username" />
            <TextInput source="user.displayName" label={label('users', 'displayName')} validate={[required(), maxLength(50)]} />
            <PasswordInput
              source="user.password"
              label={label('users', 'password')}
              helperText="app.users.password_new_hint"
              validate={[required(), maxLength(128), validatePasswordShape]}
              autoComplete="new-password"
            />
            <PasswordInput source="passwordConfirm" label="app.register.password_confirm" validate={[required(), matchPassword]} autoComplete="new-password" />
            <TextInput source="user.email" label={label('users', 'email')} validate={email()} type="email" />
            <TextInput source="user.phone" label={label('users', 'phone')} validate={validatePhone} />
          </Section>
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 2, mt: 2 }}>
            <Link to="/login" variant="body2">
              {translate('app.register.back_to_login')}
            </Link>
            <Button
              type="submit"
              variant="contained"
              size="large"
              disabled={submitting}
              startIcon={submitting ? <CircularProgress size={18} color="inherit" /> : undefined}
            >
              {translate(submitting ? 'app.register.submitting' : 'app.register.submit')}
            </Button>
          </Box>
        </Form>
      )}
    </AuthShell>
  );
}
