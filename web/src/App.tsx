import type { User } from "firebase/auth";
import { useEffect, useState } from "react";
import { ChatList } from "./ChatList.js";
import { Conversation } from "./Conversation.js";
import { DeleteAccount } from "./DeleteAccount.js";
import { JoinRoom } from "./JoinRoom.js";
import { parley } from "./parley.js";
import { useRoute } from "./route.js";
import { SignIn } from "./SignIn.js";
import { showBadgeInTitle } from "./title.js";

/** Signed out: the sign-in form. Signed in: the chat list beside the open chat. */
export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [route, go] = useRoute();
  useEffect(() => parley.onUserChanged(setUser), []);
  // Online while signed in: a heartbeat a minute, and "gone" when the page closes.
  useEffect(() => (user ? parley.stayOnline() : undefined), [user?.uid]);
  // The app badge in the tab's title: "(3) Parley".
  useEffect(() => (user ? showBadgeInTitle() : undefined), [user?.uid]);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null) return <SignIn />;
  return (
    <div className={`layout ${route.page === "chat" || route.page === "join" ? "has-chat" : ""}`}>
      <header className="topbar">
        <h1>Parley</h1>
        <span className="me">{user.displayName ?? user.email}</span>
        <button type="button" onClick={() => void parley.signOut()}>
          Sign out
        </button>
        <DeleteAccount />
      </header>
      <ChatList uid={user.uid} openChatId={route.page === "chat" ? route.chatId : null} go={go} />
      <main className="main">
        {route.page === "chat" && <Conversation key={route.chatId} uid={user.uid} chatId={route.chatId} go={go} />}
        {route.page === "join" && <JoinRoom code={route.code} go={go} />}
        {route.page === "home" && <p className="hint">Choose a chat, start one with someone, or create a room.</p>}
      </main>
    </div>
  );
}
