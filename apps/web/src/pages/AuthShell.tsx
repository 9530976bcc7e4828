import { Box, Card, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';

/** The background and heading shared by the login and registration pages. */
export const AUTH_BACKGROUND = 'linear-gradient(160deg, rgba(15,53,111,0.96) 0%, rgba(26,79,156,0.92) 55%, rgba(74,120,194,0.9) 100%)';

export function PortalHeading({ subtitle }: { subtitle?: string }) {
  const translate = useTranslate();
  return (
    <Box sx={{ textAlign: 'center', px: 3, pt: 1, pb: 0.5 }}>
      <Typography variant="h5" component="h1" sx={{ fontWeight: 700, letterSpacing: '0.08em', color: 'primary.dark' }}>
        {translate('app.title')}
      </Typography>
      {subtitle && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {subtitle}
        </Typography>
      )}
    </Box>
  );
}

/** A centred card on the portal's blue background (used by /register; /login uses react-admin's Login). */
export function AuthShell({ children, width = 720 }: { children: ReactNode; width?: number }) {
  return (
    <Box
      sx={{
        minHeight: '100vh',
        backgroundImage: AUTH_BACKGROUND,
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'flex-start',
        py: { xs: 2, md: 6 },
        px: 1,
      }}
    >
      <Card sx={{ width: '100%', maxWidth: width, p: { xs: 2, md: 3 } }}>{children}</Card>
    </Box>
  );
}
