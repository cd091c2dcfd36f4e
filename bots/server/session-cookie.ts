/** The web console's session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts). */
export const SESSION_COOKIE = 'teamkb_session';

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds?: number): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
    ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : []),
  ].join('; ');
}

export const clearedSessionCookie = (secure: boolean) => sessionCookie('', secure, 0);
