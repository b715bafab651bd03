import type { OutboxMessage } from "@pledgewatch/core";
import { formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";

export function OutboxPage({ page, messages }: { page: PageContext; messages: OutboxMessage[] }) {
  const { t, lang } = page;
  return (
    <Layout page={page} title={t.outbox.title}>
      <h1>{t.outbox.title}</h1>
      <p class="notice">{t.outbox.intro}</p>
      {messages.length === 0 ? (
        <p>{t.outbox.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.outbox.at}</th>
                <th scope="col">{t.outbox.to}</th>
                <th scope="col">{t.outbox.subject}</th>
                <th scope="col">{t.outbox.kind}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr>
                  <td>{formatDateTime(lang, new Date(m.at))}</td>
                  <td>{m.to}</td>
                  <td>
                    <a href={`/console/outbox/${encodeURIComponent(m.id)}`}>{m.subject}</a>
                  </td>
                  <td>{m.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** One message. Its text is shown as text (pre-wrapped), never as HTML; links in it are plain text too. */
export function OutboxMessagePage({ page, message }: { page: PageContext; message: OutboxMessage }) {
  const { t, lang } = page;
  return (
    <Layout page={page} title={message.subject}>
      <p>
        <a href="/console/outbox">{t.outbox.back}</a>
      </p>
      <h1>{message.subject}</h1>
      <dl class="facts">
        <dt>{t.outbox.to}</dt>
        <dd>{message.to}</dd>
        <dt>{t.outbox.at}</dt>
        <dd>{formatDateTime(lang, new Date(message.at))}</dd>
        <dt>{t.outbox.kind}</dt>
        <dd>{message.kind}</dd>
      </dl>
      <pre class="mail-body" data-testid="mail-body">
        {message.text}
      </pre>
      {message.attachments.length > 0 ? (
        <>
          <h2>{t.outbox.attachments}</h2>
          <ul>
            {message.attachments.map((a, index) => (
              <li>
                <a href={`/console/outbox/${encodeURIComponent(message.id)}/attachments/${index}`}>
                  {a.filename}
                </a>{" "}
                ({Math.ceil(a.size / 1024)} KB)
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
