import { parley } from "./parley.js";

/** The page's own title, as `index.html` sets it. */
const appTitle = document.title;

/** The page's title with the app badge: "(3) Parley", or plain "Parley" when nothing is unread. */
export function titleWith(unreadTotal: number): string {
  return unreadTotal > 0 ? `(${unreadTotal}) ${appTitle}` : appTitle;
}

/**
 * Shows the signed-in user's app badge (`unreadTotal` of their external event, live through
 * `watchExternalEvents`) in the page's title until stopped; stopping puts the plain title back.
 */
export function showBadgeInTitle(): () => void {
  const stop = parley.watchExternalEvents((event) => {
    document.title = titleWith(event.unreadTotal);
  });
  return () => {
    stop();
    document.title = appTitle;
  };
}
