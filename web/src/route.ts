import { useEffect, useState } from "react";

/** The app's pages: the chat list, one chat, joining a room from an invite link, or the settings. */
export type Route = { page: "home" } | { page: "chat"; chatId: string } | { page: "join"; code: string } | { page: "settings" };

function parse(path: string): Route {
  const chat = /^\/chats\/([^/]+)$/.exec(path);
  if (chat) return { page: "chat", chatId: decodeURIComponent(chat[1]) };
  const join = /^\/join\/([^/]+)$/.exec(path);
  if (join) return { page: "join", code: decodeURIComponent(join[1]) };
  if (path === "/settings") return { page: "settings" };
  return { page: "home" };
}

/** The current route, following the browser's history. */
export function useRoute(): [Route, (path: string) => void] {
  const [route, setRoute] = useState(() => parse(location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parse(location.pathname));
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const go = (path: string) => {
    history.pushState(null, "", path);
    setRoute(parse(path));
  };
  return [route, go];
}
