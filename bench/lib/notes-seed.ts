/**
 * Notes for the margin-notes bench (issue #3): what a reader writes beside a
 * highlight, in Chinese, 20–200 characters, some with the light Markdown the
 * cards render (bold, inline code, lists, links). Seeded: the same lesson
 * gets the same notes on every run, so two runs lay out the same cards.
 */
import type { Annotation } from '../../storage/model';
import { createRandom, type Random } from '../generate/random';

const OPENERS = ['重点：', '注意，', '回头再看：', '面试常考。', '对照线上事故：', '', '', ''];

const SENTENCES = [
  '超时并不等于失败，只说明在规定时间内没有收到回应',
  '重试之前先确认这个操作能不能安全地执行两次',
  '幂等键要和业务单号绑定，不能用随机数',
  '先记日志再应用状态机，顺序不能反',
  '租约到期之前必须续约，否则锁会被别人拿走',
  '这里和我们上个月的故障原因一模一样',
  '对比 Paxos，这一段的推导更容易理解',
  '可重复读下一致性视图在事务启动时创建',
  '连接池太小会排队，太大会压垮数据库',
  '缓存穿透要用布隆过滤器或者缓存空值来挡',
  '一致性哈希在节点增减时只迁移少量数据',
  '作者这里的前提是网络分区一定会发生',
  '这个例子换成批量写入之后结论还成立吗',
  '课后思考题的答案应该就在这一段里',
];

const MARKDOWN = [
  (r: Random) => `**${r.pick(SENTENCES)}**`,
  (r: Random) => `用 \`${r.pick(['context.WithTimeout', 'SETNX', 'fsync', 'SELECT … FOR UPDATE', 'raft.Step'])}\` 验证一下`,
  (r: Random) => `- ${r.pick(SENTENCES)}\n- ${r.pick(SENTENCES)}`,
  (r: Random) => `1. ${r.pick(SENTENCES)}\n2. ${r.pick(SENTENCES)}`,
  (r: Random) => `参考 [官方文档](https://example.com/docs/${r.int(1, 99)})，*${r.pick(SENTENCES)}*`,
];

/** One note of 20–200 characters; about a third use some Markdown. */
export function noteText(random: Random): string {
  const target = random.int(20, 200);
  let text = random.pick(OPENERS);
  while (text.length < target) {
    const piece = random.chance(0.3) ? MARKDOWN[random.int(0, MARKDOWN.length - 1)]!(random) : random.pick(SENTENCES);
    text += (text && !text.endsWith('：') && !text.endsWith('，') && !text.endsWith('。') ? '。' : '') + piece;
  }
  return text.length > 200 ? `${text.slice(0, 199)}。` : text;
}

/** The same highlights, each with a note (seeded by `seed`). */
export function withNotes(records: readonly Annotation[], seed: number): Annotation[] {
  const random = createRandom(seed).fork('notes');
  return records.map((record) => ({ ...record, note: noteText(random) }));
}
