import { beforeSend, chargeQuota, config, limitAction, sendRate } from "../config.js";
import { fileCopier } from "../files/copy-message-file.js";
import { objectDeleter } from "../files/delete-objects.js";
import { findMessageObject } from "../files/find-message-file.js";
import { logs } from "../logs.js";
import { bucket, db } from "../shared/firebase.js";
import type { Caller, Implementations } from "../shared/handler.js";
import type { messagesContract } from "./contract.js";
import { deleteMessage } from "./delete-message.js";
import { listMessageEdits } from "./edit-history.js";
import { editMessage } from "./edit-message.js";
import { forwardMessage } from "./forward-message.js";
import { getMessage } from "./get-message.js";
import { hideMessage } from "./hide-message.js";
import { listMessages } from "./list-messages.js";
import { markDelivered } from "./mark-delivered.js";
import { listThread } from "./list-thread.js";
import { markThreadRead } from "./mark-thread-read.js";
import { markRead } from "./mark-read.js";
import { pinMessage, unpinMessage } from "./pin-message.js";
import { listReceipts } from "./receipts.js";
import { sendFileMessage } from "./send-file-message.js";
import { sendMessage, type SendResult } from "./send-message.js";
import { sendThreadReply } from "./thread-reply.js";

/** The reply to a send or forward into `chatId`: 201, or 200 for a retry; logged, attempts in a header. */
function sent(chatId: string, result: SendResult) {
  logs.messageSent(chatId, result.message.number, result.attempts, result.created);
  const headers = { "x-parley-send-attempts": String(result.attempts) };
  const body = { message: result.message };
  return result.created ? { status: 201 as const, body, headers } : { status: 200 as const, body, headers };
}

/** Counts `bytes` of stored files against the caller's `UPLOAD_BYTES_PER_DAY`. */
const fileBytesCharger = (caller: Caller) => (bytes: number) => chargeQuota(caller, "uploadBytes", bytes);

/** The handlers of {@link messagesContract}. */
export const messagesHandlers: Implementations<typeof messagesContract> = {
  sendMessage: {
    run: async (caller, { chatId, text, poll, threadOf, showInChannel, ...body }) => {
      if (threadOf !== undefined) {
        const reply = {
          threadOf,
          showInChannel,
          text: text ?? "",
          ...body,
          sendRate: sendRate(caller),
          beforeSend: beforeSend(),
        };
        return sent(chatId, await sendThreadReply(db(), { now: caller.now, senderUid: caller.uid, chatId, ...reply }));
      }
      const limits = { sendRate: sendRate(caller), requestLimit: config().requestMessageLimit };
      const draft = poll
        ? { type: "poll" as const, text: "", poll, ...body, ...limits }
        : { type: "text" as const, text: text ?? "", ...body, ...limits };
      const options = { now: caller.now, senderUid: caller.uid, chatId, draft, beforeSend: beforeSend() };
      return sent(chatId, await sendMessage(db(), options));
    },
    upload: async (caller, { chatId }, request) => {
      const { uid, now } = caller;
      const store = {
        maxFileBytes: config().maxUploadBytes,
        maxVoiceSeconds: config().maxVoiceSeconds,
        chargeBytes: fileBytesCharger(caller),
        sendRate: sendRate(caller),
        requestLimit: config().requestMessageLimit,
        beforeSend: beforeSend(),
      };
      return sent(chatId, await sendFileMessage(db(), { bucket: bucket(), now, senderUid: uid, chatId, request, store }));
    },
  },
  listMessages: {
    run: async (caller, { chatId, ...query }) => {
      if (query.q !== undefined) await limitAction(caller, "searches");
      const defaultLimit = config().messagesToLoad;
      return { status: 200, body: await listMessages(db(), { callerUid: caller.uid, chatId, input: query, defaultLimit }) };
    },
  },
  getMessage: {
    run: async ({ uid }, { chatId, number }) => ({ status: 200, body: { message: await getMessage(db(), uid, chatId, number) } }),
  },
  editMessage: {
    run: async (caller, { chatId, number, ...body }) => {
      await limitAction(caller, "edits");
      const { uid, now } = caller;
      return {
        status: 200,
        body: {
          message: await editMessage(db(), {
            now,
            callerUid: uid,
            chatId,
            number,
            input: body,
            editWindowSeconds: config().editWindowSeconds,
            maxEdits: config().maxMessageEdits,
            beforeSend: beforeSend(),
          }),
        },
      };
    },
  },
  listMessageEdits: {
    run: async ({ uid }, { chatId, number }) => ({
      status: 200,
      body: await listMessageEdits(db(), { callerUid: uid, chatId, number, maxEdits: config().maxMessageEdits }),
    }),
  },
  deleteMessage: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      return {
        status: 200,
        body: {
          message: await deleteMessage(db(), { deleteObjects: objectDeleter(bucket()), now: caller.now, caller, chatId, number }),
        },
      };
    },
  },
  pinMessage: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      return { status: 200, body: await pinMessage(db(), caller.uid, chatId, number) };
    },
  },
  unpinMessage: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      return { status: 200, body: await unpinMessage(db(), caller.uid, chatId, number) };
    },
  },
  listReceipts: {
    run: async ({ uid }, { chatId, number }) => ({
      status: 200,
      body: await listReceipts(db(), { callerUid: uid, chatId, number, maxListed: config().receiptsMaxMembers }),
    }),
  },
  hideMessage: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      return { status: 200, body: await hideMessage(db(), caller.uid, chatId, number) };
    },
  },
  forwardMessage: {
    run: async (caller, { chatId, number, ...body }) => {
      const { uid, now } = caller;
      const copy = {
        copyFile: fileCopier(bucket()),
        chargeBytes: fileBytesCharger(caller),
        sendRate: sendRate(caller),
        requestLimit: config().requestMessageLimit,
        beforeSend: beforeSend(),
      };
      return sent(body.toChatId, await forwardMessage(db(), { copy, now, callerUid: uid, chatId, number, input: body }));
    },
  },
  markRead: {
    run: async ({ uid }, { chatId, ...body }) => ({ status: 200, body: await markRead(db(), uid, chatId, body) }),
  },
  markDelivered: {
    run: async ({ uid }, { chatId, ...input }) => ({
      status: 200,
      body: await markDelivered(db(), { callerUid: uid, chatId, input }),
    }),
  },
  listThread: {
    run: async ({ uid }, { chatId, number, ...query }) => ({
      status: 200,
      body: await listThread(db(), { callerUid: uid, chatId, number, input: query, defaultLimit: config().messagesToLoad }),
    }),
  },
  markThreadRead: {
    run: async ({ uid }, { chatId, number }) => ({ status: 200, body: await markThreadRead(db(), uid, chatId, number) }),
  },
  downloadFile: {
    download: ({ uid }, { chatId, number }) => findMessageObject(db(), { callerUid: uid, chatId, number, which: "file" }),
  },
  downloadThumbnail: {
    download: ({ uid }, { chatId, number }) => findMessageObject(db(), { callerUid: uid, chatId, number, which: "thumbnail" }),
  },
};
