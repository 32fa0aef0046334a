/**
 * The words the generated lessons are written with: original Chinese prose
 * about distributed systems, assembled from templates. A few phrases recur on
 * purpose (REPEATED_PHRASES): real lessons repeat their key terms, and a
 * highlight on a repeated phrase is what tells a good anchor from a lucky one.
 */
import type { Random } from './random';

/** Part of a sentence: plain text or an inline element (bold, inline code, link). */
export type Piece = string | { bold: string } | { code: string } | { link: string };

/** Sentence openers that recur throughout every lesson. */
const REPEATED_OPENERS = ['在工程实践中', '换句话说', '这一点非常关键', '我们稍后会看到', '需要特别注意的是'] as const;
/** Key terms that recur throughout every lesson. */
const REPEATED_TERMS = ['最终一致性', '网络分区', '线性一致性读', '多数派确认', '幂等性保证'] as const;
/** Phrases that recur throughout every lesson; some highlights land exactly on them. */
export const REPEATED_PHRASES: readonly string[] = [...REPEATED_OPENERS, ...REPEATED_TERMS];

/** Correct words and the typo the original lesson has in their place (fixed by the edit). */
export const TYPO_PAIRS = [
  { correct: '即使', typo: '既使' },
  { correct: '再次', typo: '在次' },
  { correct: '已经', typo: '以经' },
  { correct: '部署', typo: '布署' },
  { correct: '竞争', typo: '竟争' },
  { correct: '截断', typo: '截段' },
] as const;

const SUBJECTS = [
  '领导者节点', '跟随者', '客户端', '协调服务', '存储节点', '网关', '调用方', '消费者', '生产者',
  '状态机', '故障检测器', '配置中心', '注册中心', '负载均衡器', '副本', '新当选的领导者', '旧的主库',
  '批处理任务', '分片路由层', '事务管理器', '缓存层', '元数据服务',
] as const;

const OBJECTS = [
  '日志条目', '提交索引', '快照', '租约', '心跳', '写请求', '读请求', '版本号', '幂等键', '检查点',
  '水位线', '序列号', '墓碑记录', '配置变更', '成员列表', '分布式锁', '消费位点', '事务日志', '缓存条目',
  '索引文件', '选票', '任期号', '向量时钟', '压缩任务',
] as const;

const VERBS = [
  '复制', '提交', '回滚', '重放', '截断', '持久化', '广播', '确认', '丢弃', '合并', '压缩', '校验',
  '续约', '抢占', '迁移', '重新发送', '批量写入', '异步刷盘',
] as const;

const STATES = [
  '网络抖动', '领导者切换', '磁盘写满', '时钟回拨', '节点重启', '请求超时', '流量突增', '长时间停顿',
  '机房断电', '滚动升级', '配置回滚', '副本落后太多',
] as const;

const CONSEQUENCES = [
  '数据会出现不一致', '客户端会读到旧值', '集群会短暂不可用', '同一个请求会被执行两次',
  '写入延迟会明显上升', '整个系统的吞吐会下降', '已经确认的写入可能丢失', '两个节点都以为自己是领导者',
  '后台任务会不断重试', '监控上会出现大量告警', '用户会看到重复的订单', '恢复时间会被拉得很长',
] as const;

const PROPERTIES = [
  '线性一致性', '可用性', '分区容忍性', '单调读', '读己之写', '因果一致性', '持久性', '有界延迟',
  '顺序一致性', '可观测性',
] as const;

const TECH = ['etcd', 'ZooKeeper', 'Kafka', 'Raft', 'Paxos', 'gRPC', 'TCP', 'Redis', 'MySQL', 'RocksDB', 'Consul', 'TiKV'] as const;

const CODE_NAMES = [
  'commitIndex', 'lastApplied', 'nextIndex[peer]', 'raft.Step()', 'context.WithTimeout', 'leaseID',
  'AppendEntries', 'RequestVote', 'fsync()', 'maxRetries', 'idempotencyKey', 'snapshotThreshold',
  'electionTimeout', 'heartbeatInterval', 'compactRevision', 'ReadIndex',
] as const;

const CONNECTORS = [
  '首先', '其次', '另一方面', '反过来说', '不过', '更麻烦的是', '举个例子', '回到前面的例子', '实际上',
  '从结果上看', '说到底', '在很多系统里', '通常来说',
] as const;

const OPINIONS = [
  '这是很多团队第一次上线时都会踩的坑', '这也是面试里最常被追问的地方', '这个细节在论文里只有一句话',
  '很多线上事故都是从这里开始的', '它看起来简单，真正写对却不容易', '这正是设计时需要取舍的地方',
  '我在项目里见过不止一次', '这个结论值得你停下来想一想', '我们在压测里反复验证过这一点',
  '这也是很多开源实现里最容易出错的代码路径', '文档里很少提到这一点', '上线前最好专门为它写一个测试',
  '排查这类问题往往要花上好几天', '新人接手时最容易忽略它', '它的代价通常要到高峰期才会显现',
  '这一步省掉了，后面的一切都会变得很脆弱', '监控大盘上往往看不出它的影响',
] as const;

const QUESTIONS = ['有同学问', '有读者在留言里问', '经常有人问', '你可能会问', '上一讲的留言里有人问', '面试时常被问到'] as const;
const OUTCOMES = [
  '我们来看看会发生什么', '后面的步骤会受到什么影响', '调用方会看到什么结果', '恢复流程要怎么走',
  '哪些数据还能保住', '监控上会出现什么信号',
] as const;
const EVENTS = ['网络分区', '领导者切换', '节点宕机', '时钟漂移', '磁盘故障', '跨机房延迟突增'] as const;
const SUMMARIES = ['用一句话总结', '简单地说', '归纳一下', '换个角度看', '把上面的讨论合在一起'] as const;

/** The word whose typo the original lesson carries must occur in the text: the templates use them. */
const TYPO_CARRIERS = [
  '即使{state}，{subject}也必须先{verb}{object}。',
  '{subject}会在{state}之后再次{verb}{object}。',
  '当{subject}已经{verb}了{object}，{consequence}的风险就小得多。',
  '在 {tech} 的部署方案里，{subject}通常和{subject2}放在不同的机房。',
  '多个{subject}竞争同一把{lock}时，{consequence}。',
  '{subject}会截断{object}之后的所有日志，再重新{verb}。',
] as const;

const TEMPLATES = [
  '{connector}，{subject}在{state}时会{verb}{object}。',
  '如果{subject}没有及时{verb}{object}，{consequence}。',
  '{opener}，{subject}和{subject2}之间的约定决定了系统能否提供{property}。',
  '很多团队会用 {tech} 来{verb}{object}，但它本身并不能保证{property}。',
  '当{subject}收到{number}个{object}之后，它会先{verb}，再把结果{verb2}给{subject2}。',
  '这就是为什么我们说{property}比{property2}更难实现。',
  '从{subject}的角度看，它只是在{verb}{object}而已；{opinion}。',
  '{opener}，{state}并不罕见，{consequence}。',
  '{term}并不是免费的：一旦遇到{state}，{consequence}。',
  '有了{term}，{subject}就可以放心地{verb}{object}。',
  '注意 {code} 的含义：它记录的是{subject}最后一次{verb}的{object}。',
  '在 {tech} 里，{object}默认每 {number} 毫秒{verb}一次，{opinion}。',
  '{connector}，{subject}必须等到{object}得到多数派确认之后才能{verb}{object2}。',
  '{subject}一旦发现{object}过期，就会立刻{verb}，否则{consequence}。',
  '假设{subject}在{state}期间{verb}了{object}，{outcome}？',
  '{opener}：只要{subject}还在{verb}{object}，{subject2}就不能被提升为新的领导者。',
  '把{object}和{object2}分开存储，是为了让{subject}在{state}之后能够更快恢复。',
  '{connector}，{opinion}。',
  '{question}，为什么不直接让{subject}{verb}所有的{object}？答案是{consequence}。',
  '{summary}：{subject}负责{verb}，{subject2}负责{verb2}，{property}由两者共同保证。',
  '我们用 {code} 来表示这个值，它是实现{term}的关键。',
  '在发生{event}的时候，{subject}只能在{property}和{property2}之间二选一。',
  '{subject}在{verb}{object}之前，会先检查{object2}是否仍然有效。',
  '{event}持续了 {number} 秒之后，{subject}开始{verb}{object}，{consequence}。',
  '第 {number} 号{object}被{subject}{verb}之后，{subject2}才会开始{verb2}。',
  '{subject}把{object}的{verb}推迟到{state}结束以后，这样{property}就不会被破坏。',
  '{tech} 的做法是先{verb}{object}再{verb2}{object2}，{opinion}。',
  '{question}：{property}和{property2}能不能同时满足？在{event}面前，答案是否定的。',
  '{subject}每隔 {number} 毫秒检查一次{object}，发现异常就通知{subject2}。',
  '为了{verb}{object}，{subject}需要先拿到{object2}，{opinion}。',
  '{opener}，{code} 只有在{subject}{verb}成功之后才会前进。',
  '把{number}个{object}攒成一批再{verb}，可以显著降低{subject}的压力。',
  '{connector}，我们把{subject}和{subject2}的职责拆开，{property}就容易分析多了。',
  '{subject}收到过期的{object}时，应当直接{verb}，而不是等待{subject2}重试。',
] as const;

/** One sentence, possibly with inline bold, code or a link. */
export function sentence(random: Random): Piece[] {
  const template = random.chance(0.12) ? random.pick(TYPO_CARRIERS) : random.pick(TEMPLATES);
  const text = fill(random, template);
  return decorate(random, text);
}

/** A heading for a new section of the lesson. */
export function heading(random: Random): string {
  const forms = [
    `为什么需要${random.pick(OBJECTS)}`,
    `${random.pick(SUBJECTS)}如何处理${random.pick(STATES)}`,
    `${random.pick(PROPERTIES)}的代价`,
    `从 ${random.pick(TECH)} 看${random.pick(OBJECTS)}的设计`,
    `${random.pick(OBJECTS)}与${random.pick(OBJECTS)}`,
  ];
  return random.pick(forms);
}

/** A lesson title: 第N讲 | topic. */
export function title(random: Random, lessonNumber: number): string {
  return `第${lessonNumber}讲 | ${random.pick(OBJECTS)}：${random.pick(SUBJECTS)}如何应对${random.pick(STATES)}`;
}

/** A reader's comment (one to three sentences, plain text). */
export function comment(random: Random): string {
  const openers = ['老师好，', '请问一下，', '打卡。', '读完有个疑问：', '补充一个线上案例：', ''];
  const parts = [random.pick(openers)];
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) parts.push(plain(sentence(random)));
  return parts.join('');
}

/** The author's reply to a comment. */
export function reply(random: Random): string {
  return `${random.pick(['是的，', '好问题。', '可以这样理解，', '不完全是，'])}${plain(sentence(random))}`;
}

/** A Go-like code block of `lines` lines. */
export function codeLines(random: Random, lines: number): string[] {
  const name = random.pick(['applyEntries', 'renewLease', 'handleVote', 'replicate', 'compactLog', 'retryCall']);
  const out = [`func ${name}(ctx context.Context, r *Replica) error {`];
  for (let i = 1; i < lines - 1; i++) {
    const statement = random.pick([
      `if r.commitIndex < r.lastApplied+${random.int(1, 9)} {`,
      `\tentries := r.log.Slice(r.lastApplied, r.commitIndex)`,
      `\tdeadline := time.Now().Add(${random.int(50, 900)} * time.Millisecond)`,
      `\tif err := r.store.Append(entries); err != nil {`,
      `\t\treturn fmt.Errorf("append: %w", err)`,
      `\t}`,
      `}`,
      `select {`,
      `case <-ctx.Done():`,
      `\treturn ctx.Err()`,
      `case msg := <-r.inbox:`,
      `\tr.step(msg) // 只处理当前任期的消息`,
      `r.lastApplied = r.commitIndex`,
      `// 注意：先持久化，再回复调用方`,
    ]);
    out.push(statement);
  }
  out.push('}');
  return out;
}

/** Text of pieces without markup. */
export function plain(pieces: readonly Piece[]): string {
  return pieces.map((piece) => (typeof piece === 'string' ? piece : Object.values(piece)[0] as string)).join('');
}

function fill(random: Random, template: string): string {
  const slots: Record<string, () => string> = {
    connector: () => random.pick(CONNECTORS),
    subject: () => random.pick(SUBJECTS),
    subject2: () => random.pick(SUBJECTS),
    object: () => random.pick(OBJECTS),
    object2: () => random.pick(OBJECTS),
    verb: () => random.pick(VERBS),
    verb2: () => random.pick(VERBS),
    state: () => random.pick(STATES),
    consequence: () => random.pick(CONSEQUENCES),
    property: () => random.pick(PROPERTIES),
    property2: () => random.pick(PROPERTIES),
    tech: () => random.pick(TECH),
    code: () => `\u0001${random.pick(CODE_NAMES)}\u0001`,
    number: () => String(random.int(2, 999)),
    opinion: () => random.pick(OPINIONS),
    opener: () => random.pick(REPEATED_OPENERS),
    term: () => random.pick(REPEATED_TERMS),
    event: () => random.pick(EVENTS),
    question: () => random.pick(QUESTIONS),
    outcome: () => random.pick(OUTCOMES),
    summary: () => random.pick(SUMMARIES),
    lock: () => '分布式锁',
  };
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => slots[slot]!());
}

/** Turns \u0001-marked code into inline code, and now and then bolds or links a clause. */
function decorate(random: Random, text: string): Piece[] {
  const pieces: Piece[] = text.split('\u0001').map((part, i) => (i % 2 === 1 ? { code: part } : part));
  if (random.chance(0.12)) return emphasize(pieces, 'bold');
  if (random.chance(0.03)) return emphasize(pieces, 'link');
  return pieces.filter((piece) => piece !== '');
}

/** Wraps the first clause of the first plain piece in bold or a link. */
function emphasize(pieces: Piece[], kind: 'bold' | 'link'): Piece[] {
  const out: Piece[] = [];
  let done = false;
  for (const piece of pieces) {
    const cut = typeof piece === 'string' && !done ? piece.search(/[，；：]/) : -1;
    if (typeof piece !== 'string' || cut <= 1) {
      if (piece !== '') out.push(piece);
      continue;
    }
    done = true;
    out.push(kind === 'bold' ? { bold: piece.slice(0, cut) } : { link: piece.slice(0, cut) }, piece.slice(cut));
  }
  return out;
}
