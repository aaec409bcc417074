/**
 * The terminal's words, both languages side by side as the app's catalogs keep them: the command
 * line's (`npm run gatelog -- …`) help and messages, and what `npm start` prints (its address,
 * the admin token, the enrollment link's notes, why it cannot start, the environment's mistakes
 * both share), in Chinese when the terminal's locale is Chinese, else in English. Its tab-separated listings (gates:list, passes:list…) are not
 * here: scripts read them, so they stay as they are in every language.
 */
import { NOT_PLAIN_TEXT, type Locale } from '../shared';
import { issueParts } from './validate';

const en = {
  usage: `Usage: npm run gatelog -- <command>

  gates:create <name>      create a gate
  gates:list               list gates
  gates:update <gateId> [--name <name>] [--fever <°C>] [--quarantine-days <days>]
               [--key-regions <湖北,温州>] [--duty-phone <phone>]
                           rename a gate or change its rules (phones get them on their next sync)
  codes:create <gateId>    make a single-use enrollment code (link and QR code)
  devices:list             list enrolled phones
  devices:revoke <id>      revoke a phone
  passes:create <name> <address> <validUntil YYYY-MM-DD> [gateId]
                           issue a resident pass (no gate: valid at every gate)
  passes:list [gateId]     list passes not revoked (one past its last day: "Expired")
  passes:revoke <pass number>
                           revoke a pass (phones learn it on their next sync)
  passes:sheet <file.html> [gateId]
                           write a printable A4 sheet of the cards of passes in force today
  passes:rotate-key        sign new passes with a new key (old passes stay valid)
  watchlist:add <name> <until YYYY-MM-DD> [--pass <pass number>] [--id <idNumber>]
                [--phone <phone>] [--address <building / room>] [--note <note>]
                           put someone under home quarantine on the watchlist
  watchlist:list           list the watchlist (one past its until: "Ended")
  watchlist:remove <id>    take someone off the watchlist
  db:rewrite               SQLite only, with the server stopped: rewrite the database file
                           whole, with the page size new ones get (faster commits for a
                           database made before it) and the space of deleted rows given back`,
  unknownCommand: 'Unknown command: {name}',
  missing: 'Missing {what}.',
  missingValue: 'Missing a value for {option}.',
  unknownOption: 'Unknown option --{name}.',
  'arg.name': '<name>',
  'arg.gateId': '<gateId>',
  'arg.id': '<id>',
  'arg.address': '<address>',
  'arg.validUntil': '<validUntil>',
  'arg.until': '<until>',
  'arg.passId': '<pass number>',
  'arg.file': '<file.html>',
  noGate: 'No gate {id}; see gates:list',
  noGateGiven: 'No such gate; see gates:list',
  noDevice: 'No device {id}; see devices:list',
  noPass: 'No pass {id}; see passes:list',
  noWatch: 'No watchlist entry {id}; see watchlist:list',
  deviceRevoked: 'Revoked {id}',
  passRevoked: 'Revoked {pass} ({name})',
  watchRemoved: 'Removed {id}',
  sheetWritten: 'Wrote {cards} to {file}{left}; open it in a browser and print on A4.',
  'sheetWritten.cards': '{n} pass cards',
  'sheetWritten.cards.one': '1 pass card',
  'sheetWritten.left': ' ({n} expired before {today} left out)',
  keyRotated: 'New passes are signed with key {kid}; passes signed before stay valid.',
  enrollHeading: 'Enroll a phone at gate "{gate}": single use, valid until {until}.',
  noPublicUrl:
    "Note: GATELOG_PUBLIC_URL is not set for this command, so the link names this computer's own " +
    'address, over plain HTTP. Phones work offline only over HTTPS: when the server is behind an ' +
    'HTTPS proxy, run this command with the same GATELOG_PUBLIC_URL as the server.',
  newDatabase:
    'No database at {file} yet: making a new one, which the server does not read. Run this ' +
    "command with the server's environment: its GATELOG_DATA_DIR, or its DATABASE_URL when it " +
    'runs on PostgreSQL.',
  'feverUnusual.low':
    'Note: a fever threshold of {t} °C is below the usual {low}–{high} °C ({usual} °C by default): ' +
    'nearly everyone is flagged as a fever and not let in. If that was not meant, set it again with --fever.',
  'feverUnusual.high':
    'Note: a fever threshold of {t} °C is above the usual {low}–{high} °C ({usual} °C by default): ' +
    'people with a fever are not flagged and are let in. If that was not meant, set it again with --fever.',
  rewriteNotSqlite: 'db:rewrite is for the SQLite file; PostgreSQL has VACUUM of its own.',
  rewriteNoDatabase: 'No database at {file}',
  rewriteInUse:
    '{file} is in use: stop the server (and any other gatelog command) first, then run this again',
  rewriteFailed: 'Cannot rewrite {file} ({code}: {error}).',
  sheetNotWritten:
    'Cannot write {file} ({code}: {error}). Check that its folder exists and that you may ' +
    'write there.',
  rewritten: 'Rewrote {file}: {pages}, file size {before} → {after}',
  'rewritten.sameSize': 'page size {size} (unchanged)',
  'rewritten.newSize': 'page size {before} → {after}',
  badInput: 'Bad input: {issues}',
  issue: '{where}: {what}',
  'issue.and': '; ',
  // What the shared schemas and the services say is wrong, by their message key or zod code.
  'issue.required': 'required',
  'issue.tooLong': 'too long',
  'issue.idInvalid':
    'not an ID number a gate could match (a resident ID needs its right check digit)',
  'issue.idChecksum': 'the ID number’s check digit is wrong',
  'issue.phoneInvalid': 'not a phone number (11-digit mobile or +international)',
  'issue.passInvalid': 'not a pass number (8 letters and digits, as on the card: 7K3M-9QX2)',
  'issue.dateInvalid': 'not a date (YYYY-MM-DD)',
  'issue.unrecognized': 'not known',
  'issue.needOneOf': 'one of --pass, --id or --phone is needed',
  'issue.nothingToChange': 'nothing to change: name or rules is required',
  'issue.notPhone': 'invalid: not a phone number',
  'issue.oneDecimal': 'invalid: one decimal at most',
  'issue.notPlainText': 'invalid: holds a control character or half a surrogate pair',
  'issue.notNumber': 'not a number',
  'issue.notWholeNumber': 'not a whole number',
  'issue.notValue': 'not a {type}',
  // A bound broken, said by what was measured: a text is too short, a list has too few.
  'issue.too_big': 'too big',
  'issue.too_small': 'too small',
  'issue.too_big.character': 'too long',
  'issue.too_small.character': 'too short',
  'issue.too_big.item': 'too many',
  'issue.too_small.item': 'too few',
  'issue.inThePast': 'in the past',
  'issue.tooFarAhead': 'more than {n} days ahead',
  'bound.atMost': ': at most {n}{unit}',
  'bound.atLeast': ': at least {n}{unit}',
  'bound.under': ': under {n}{unit}',
  'bound.over': ': over {n}{unit}',
  'unit.character': ' characters',
  'unit.character.one': ' character',
  'unit.item': ' items',
  'unit.item.one': ' item',
  // npm start's own (scripts/start.mjs and main.ts), and the environment's mistakes it shares
  // with the command line.
  'start.nodeTooOld':
    "GateLog needs Node.js {needed} or later; this is Node.js {running}. Debian 12's own nodejs " +
    'package is 18: install Node.js 20 or 22 (from nodejs.org or NodeSource, say), then run npm ' +
    'ci again (its native modules are built for the Node that installs them).',
  'start.noApp': 'start: no index.html in the project yet; serving the API only.',
  'start.building': 'start: building the app…',
  'start.rebuilding': 'start: sources changed, rebuilding the app…',
  'start.buildFailed': 'start: the build failed; serving the previous build.',
  'start.buildFailed.apiOnly': 'start: the build failed; serving the API only.',
  'start.running': 'GateLog is running at:',
  'start.token.inFile': 'Admin token: in {file}',
  'start.token.fromEnv': 'Admin token: from GATELOG_ADMIN_TOKEN',
  'start.token.new': 'Admin token (shown once; also stored in {file}):',
  'start.token.unshown':
    'Admin token (made by an earlier start that stopped before showing it; shown once; also ' +
    'stored in {file}):',
  'start.committee':
    "The committee's page (logs and CSV, phones, gates, passes, watchlist; sign in with the " +
    'admin token): {url}',
  'start.linkNote.loopback':
    'Note: {host} is this computer itself, which phones cannot open: the link above is for a ' +
    'browser on this computer only. For phones, put the server behind HTTPS (a reverse proxy) ' +
    'and set GATELOG_PUBLIC_URL to that address.',
  'start.linkNote.plainHttp':
    'Note: phones work offline only over HTTPS. Put the server behind HTTPS (a reverse proxy) ' +
    'and set GATELOG_PUBLIC_URL to that address.',
  'start.cannotOpen':
    'Cannot open the database {file} ({code}: {error}).\nCheck that its folder ' +
    '(GATELOG_DATA_DIR) exists or can be made, and that the user running GateLog may read and ' +
    'write it and the files in it.',
  'start.pgUnreachable':
    'Cannot reach the PostgreSQL server of DATABASE_URL ({where}: {code}). Check that ' +
    'PostgreSQL is running there and that DATABASE_URL names its host and port.',
  'start.pgRefused':
    'The PostgreSQL server of DATABASE_URL ({where}) refused GateLog ({code}: {error}). Check ' +
    'the user, password and database name in DATABASE_URL.',
  'start.cannotListen': 'Cannot listen on {where} ({code}): {reason}.',
  'start.cannotListen.EADDRINUSE':
    'another program is listening there (a GateLog already running?). Stop it, or start ' +
    'GateLog on another port: PORT={port} npm start',
  'start.cannotListen.EACCES':
    'ports below 1024 need privileges this user does not have. Keep GateLog on a port such as ' +
    '8080 (the default) and let a reverse proxy take 443 (README, "Deploying behind TLS")',
  'start.cannotListen.EADDRNOTAVAIL':
    'HOST {host} is not an address of this computer. Leave HOST unset (all of them) or name one ' +
    'of its own',
  'start.tokenTooShort':
    'The admin token in {file} is too short ({n} characters): an admin token needs at least ' +
    '{min} characters. Put a longer one in that file, or empty it to have GateLog make one, and ' +
    'start again.',
  'db.file': 'The database {file}',
  'db.postgres': 'The PostgreSQL database at DATABASE_URL',
  'db.newer':
    '{what} has schema version {version}, written by a newer GateLog; this GateLog knows schema ' +
    'versions up to {newest}. The database was left as it is: run the newer GateLog on it, or ' +
    'restore a backup made for this version.',
  'db.encoding':
    '{what} is encoded {encoding}, {why}; GateLog needs UTF8. The database was left as it is: ' +
    'create one in UTF-8 (createdb -E UTF8 --locale=C.UTF-8 --template=template0 ' +
    '--owner=<role> <name>) and set DATABASE_URL to it.',
  'db.encoding.sqlAscii': "which checks no text and does not fold letter case in the log's search",
  'db.encoding.other': 'which cannot hold Chinese',
  'files.tightened': 'gatelog: {files} could be read by other users; now by their owner only',
  'files.leftOpen':
    'gatelog: warning: {file} can be read by other users (mode {mode}) and was left so: {why}. ' +
    'Its owner can run: chmod 600 {file}',
  'files.notOurs': 'it belongs to user {owner}, not to this one ({uid})',
  badEnvironment: 'Bad environment: {issues}',
  'env.adminToken': 'at least {min} characters',
  'env.httpUrl': 'an http(s) URL',
  'env.logLevel': 'one of {levels}',
  'env.origin':
    'the address alone, with no path, query or #: GateLog is served at the root of its host ' +
    '(https://gatelog.example.org)',
  'env.trustProxy':
    "true (a proxy on this machine), false, or the proxies' addresses (comma-separated; " +
    'loopback, uniquelocal)',
  'env.databaseUrl':
    'a postgres:// (or postgresql://) URL; unset it to use the embedded SQLite file',
} as const;

export type CliMessage = keyof typeof en;

const zh: Record<CliMessage, string> = {
  // Chinese characters take two columns in a terminal: the descriptions line up as printed.
  usage: `用法：npm run gatelog -- <命令>

  gates:create <名称>        新建门岗
  gates:list                 列出门岗
  gates:update <门岗编号> [--name <名称>] [--fever <°C>] [--quarantine-days <天数>]
               [--key-regions <湖北,温州>] [--duty-phone <电话>]
                             改门岗的名称或规则（各手机下次同步时生效）
  codes:create <门岗编号>    生成一次性的手机登记码（链接和二维码）
  devices:list               列出已登记的手机
  devices:revoke <编号>      停用一部手机
  passes:create <姓名> <住址> <有效期至 YYYY-MM-DD> [门岗编号]
                             办理出入证（不填门岗：所有门岗通用）
  passes:list [门岗编号]     列出未停用的出入证（过了有效期的标 "Expired"）
  passes:revoke <出入证号>   停用出入证（各手机下次同步时得知）
  passes:sheet <文件.html> [门岗编号]
                             把今天有效的出入证卡片写成可打印的 A4 网页
  passes:rotate-key          换一把新密钥签发出入证（以前签发的仍然有效）
  watchlist:add <姓名> <隔离至 YYYY-MM-DD> [--pass <出入证号>] [--id <证件号码>]
                [--phone <手机号>] [--address <楼号 / 房号>] [--note <备注>]
                             把居家隔离的人加入名单
  watchlist:list             列出名单（过了隔离期的标 "Ended"）
  watchlist:remove <编号>    把人移出名单
  db:rewrite                 仅限 SQLite，且须先停服务器：把数据库文件整个重写，
                             改用新库的页大小（以前建的库提交更快），
                             并收回已删除记录占的空间`,
  unknownCommand: '没有这个命令：{name}',
  missing: '缺少 {what}。',
  missingValue: '{option} 后面缺少值。',
  unknownOption: '没有 --{name} 这个选项。',
  'arg.name': '<名称>',
  'arg.gateId': '<门岗编号>',
  'arg.id': '<编号>',
  'arg.address': '<住址>',
  'arg.validUntil': '<有效期至>',
  'arg.until': '<隔离至>',
  'arg.passId': '<出入证号>',
  'arg.file': '<文件.html>',
  noGate: '没有门岗 {id}；请用 gates:list 查看',
  noGateGiven: '没有这个门岗；请用 gates:list 查看',
  noDevice: '没有手机 {id}；请用 devices:list 查看',
  noPass: '没有出入证 {id}；请用 passes:list 查看',
  noWatch: '名单里没有 {id}；请用 watchlist:list 查看',
  deviceRevoked: '已停用手机 {id}',
  passRevoked: '已停用出入证 {pass}（{name}）',
  watchRemoved: '已移出名单：{id}',
  sheetWritten: '已把{cards}写入 {file}{left}；请用浏览器打开，用 A4 纸打印。',
  'sheetWritten.cards': ' {n} 张出入证卡片',
  'sheetWritten.cards.one': ' 1 张出入证卡片',
  'sheetWritten.left': '（另有 {n} 张在 {today} 前已过期，未列入）',
  keyRotated: '今后的出入证用密钥 {kid} 签发；以前签发的出入证仍然有效。',
  enrollHeading: '门岗“{gate}”的手机登记链接：只能用一次，有效期至 {until}。',
  noPublicUrl:
    '注意：这条命令没有设置 GATELOG_PUBLIC_URL，所以链接用的是这台电脑自己的地址，走普通 HTTP。' +
    '手机只有通过 HTTPS 才能离线使用：服务器在 HTTPS 代理后面时，请用和服务器相同的 ' +
    'GATELOG_PUBLIC_URL 运行这条命令。',
  newDatabase:
    '{file} 还没有数据库：现在新建一个，但服务器不读它。请用服务器的环境运行这条命令：' +
    '它的 GATELOG_DATA_DIR，服务器用 PostgreSQL 时则是它的 DATABASE_URL。',
  'feverUnusual.low':
    '注意：发热标准 {t} ℃ 低于通常的 {low}–{high} ℃（默认 {usual} ℃）：几乎每个人都会被判为发热、' +
    '不予放行。若非本意，请用 --fever 重新设置。',
  'feverUnusual.high':
    '注意：发热标准 {t} ℃ 高于通常的 {low}–{high} ℃（默认 {usual} ℃）：发烧的人也不会被判为发热，' +
    '会被放行。若非本意，请用 --fever 重新设置。',
  rewriteNotSqlite: 'db:rewrite 只用于 SQLite 数据库文件；PostgreSQL 有自己的 VACUUM。',
  rewriteNoDatabase: '{file} 没有数据库',
  rewriteInUse: '{file} 正在使用中：请先停掉服务器（以及其他 gatelog 命令），再运行这条命令',
  rewriteFailed: '无法重写 {file}（{code}：{error}）。',
  sheetNotWritten:
    '无法写入 {file}（{code}：{error}）。请检查它所在的文件夹是否存在，以及你能否在那里写入。',
  rewritten: '已重写 {file}：{pages}，文件大小 {before} → {after}',
  'rewritten.sameSize': '页大小 {size}（未变）',
  'rewritten.newSize': '页大小 {before} → {after}',
  badInput: '输入有误：{issues}',
  issue: '{where}：{what}',
  'issue.and': '；',
  'issue.required': '必填',
  'issue.tooLong': '太长',
  'issue.idInvalid': '不是门岗能核对的证件号码（居民身份证的校验位须正确）',
  'issue.idChecksum': '证件号码的校验位不对',
  'issue.phoneInvalid': '不是手机号（11 位手机号，或 + 开头的国际号码）',
  'issue.passInvalid': '不是出入证号（8 位字母和数字，如卡上的 7K3M-9QX2）',
  'issue.dateInvalid': '不是日期（YYYY-MM-DD）',
  'issue.unrecognized': '不认识',
  'issue.needOneOf': '--pass、--id、--phone 至少要给一个',
  'issue.nothingToChange': '没有要改的：请给出 --name 或规则选项',
  'issue.notPhone': '不是电话号码',
  'issue.oneDecimal': '最多一位小数',
  'issue.notPlainText': '含有控制字符或残缺的字符',
  'issue.notNumber': '不是数字',
  'issue.notWholeNumber': '不是整数',
  'issue.notValue': '不是 {type}',
  'issue.too_big': '太大',
  'issue.too_small': '太小',
  'issue.too_big.character': '太长',
  'issue.too_small.character': '太短',
  'issue.too_big.item': '太多',
  'issue.too_small.item': '太少',
  'issue.inThePast': '是过去的日期',
  'issue.tooFarAhead': '超过 {n} 天以后',
  'bound.atMost': '，最多 {n}{unit}',
  'bound.atLeast': '，至少 {n}{unit}',
  'bound.under': '，须小于 {n}{unit}',
  'bound.over': '，须大于 {n}{unit}',
  'unit.character': ' 个字',
  'unit.character.one': ' 个字',
  'unit.item': ' 项',
  'unit.item.one': ' 项',
  'start.nodeTooOld':
    'GateLog 需要 Node.js {needed} 或更新的版本；这里是 Node.js {running}。Debian 12 自带的 nodejs ' +
    '是 18 版：请安装 Node.js 20 或 22（例如从 nodejs.org 或 NodeSource），然后重新运行 npm ci' +
    '（它的原生模块是为安装它的那个 Node 编译的）。',
  'start.noApp': 'start：项目里还没有 index.html；只提供 API。',
  'start.building': 'start：正在构建应用…',
  'start.rebuilding': 'start：源文件有改动，正在重新构建应用…',
  'start.buildFailed': 'start：构建失败；继续使用上一次构建的应用。',
  'start.buildFailed.apiOnly': 'start：构建失败；只提供 API。',
  'start.running': 'GateLog 已启动，地址：',
  'start.token.inFile': '管理令牌：在 {file} 里',
  'start.token.fromEnv': '管理令牌：来自 GATELOG_ADMIN_TOKEN',
  'start.token.new': '管理令牌（只显示这一次；也存在 {file} 里）：',
  'start.token.unshown':
    '管理令牌（上次启动生成后、显示之前就停止了；只显示这一次；也存在 {file} 里）：',
  'start.committee':
    '居委会页面（记录和 CSV、手机、门岗、出入证、隔离名单；用管理令牌登录）：{url}',
  'start.linkNote.loopback':
    '注意：{host} 是这台电脑自己，手机打不开：上面的链接只能在这台电脑的浏览器里用。' +
    '要给手机用，请把服务器放在 HTTPS（反向代理）后面，并把 GATELOG_PUBLIC_URL 设为那个地址。',
  'start.linkNote.plainHttp':
    '注意：手机只有通过 HTTPS 才能离线使用。请把服务器放在 HTTPS（反向代理）后面，' +
    '并把 GATELOG_PUBLIC_URL 设为那个地址。',
  'start.cannotOpen':
    '无法打开数据库 {file}（{code}：{error}）。\n请检查它所在的文件夹（GATELOG_DATA_DIR）是否存在' +
    '或能否新建，以及运行 GateLog 的用户能否读写这个文件夹和其中的文件。',
  'start.pgUnreachable':
    '连不上 DATABASE_URL 的 PostgreSQL 服务器（{where}：{code}）。请检查 PostgreSQL 是否在那里运行，' +
    '以及 DATABASE_URL 写的主机和端口是否正确。',
  'start.pgRefused':
    'DATABASE_URL 的 PostgreSQL 服务器（{where}）拒绝了 GateLog（{code}：{error}）。请检查 ' +
    'DATABASE_URL 里的用户名、密码和数据库名。',
  'start.cannotListen': '无法在 {where} 上监听（{code}）：{reason}。',
  'start.cannotListen.EADDRINUSE':
    '已有别的程序在监听这个端口（也许 GateLog 已经在运行？）。请先停掉它，或换一个端口启动 ' +
    'GateLog：PORT={port} npm start',
  'start.cannotListen.EACCES':
    '1024 以下的端口需要这个用户没有的权限。请让 GateLog 用 8080 这样的端口（默认即是），' +
    '由反向代理占用 443（见 README 的 "Deploying behind TLS"）',
  'start.cannotListen.EADDRNOTAVAIL':
    'HOST {host} 不是这台电脑的地址。请不设 HOST（监听所有地址），或设为这台电脑自己的地址',
  'start.tokenTooShort':
    '{file} 里的管理令牌太短（{n} 个字符）：管理令牌至少要 {min} 个字符。请在这个文件里写一个' +
    '更长的，或者清空它让 GateLog 生成一个，然后重新启动。',
  'db.file': '数据库 {file}',
  'db.postgres': 'DATABASE_URL 的 PostgreSQL 数据库',
  'db.newer':
    '{what}：结构版本是 {version}，是更新的 GateLog 写入的；这个 GateLog 只认识到 {newest} 为止的' +
    '版本。数据库原样未动：请用更新的 GateLog 运行它，或恢复为这个版本做的备份。',
  'db.encoding':
    '{what}：编码是 {encoding}，{why}；GateLog 需要 UTF8。数据库原样未动：请新建一个 UTF-8 的' +
    '数据库（createdb -E UTF8 --locale=C.UTF-8 --template=template0 --owner=<角色> <库名>），' +
    '并把 DATABASE_URL 设为它。',
  'db.encoding.sqlAscii': '它不检查文本，查记录时也不能忽略字母大小写',
  'db.encoding.other': '它存不了中文',
  'files.tightened': 'gatelog：{files} 原先其他用户也能读；现在只有其所有者能读写',
  'files.leftOpen':
    'gatelog：警告：{file} 其他用户也能读（权限 {mode}），现保持原样：{why}。' +
    '它的所有者可以运行：chmod 600 {file}',
  'files.notOurs': '它属于用户 {owner}，不是当前用户（{uid}）',
  badEnvironment: '环境变量有误：{issues}',
  'env.adminToken': '至少要 {min} 个字符',
  'env.httpUrl': '须是 http(s) 网址',
  'env.logLevel': '须是 {levels} 之一',
  'env.origin':
    '只写地址，不带路径、查询参数或 #：GateLog 位于其主机的根路径（https://gatelog.example.org）',
  'env.trustProxy':
    'true（代理在这台电脑上）、false，或代理的地址（用逗号分隔；可写 loopback、uniquelocal）',
  'env.databaseUrl': '须是 postgres://（或 postgresql://）网址；不设则用内置的 SQLite 文件',
};

export const cliMessages: Record<Locale, Record<CliMessage, string>> = { 'zh-CN': zh, en };

/**
 * The terminal's language, as programs read it (POSIX): the first of LC_ALL, LC_MESSAGES and
 * LANG that is set; Chinese when it starts with `zh` (zh_CN.UTF-8, zh_TW), else English (C,
 * en_US…). With none set (Windows' terminals set none), the system's, as Node reads it.
 */
export function terminalLocale(
  env: NodeJS.ProcessEnv = process.env,
  systemLocale: string = Intl.DateTimeFormat().resolvedOptions().locale,
): Locale {
  const set = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return /^zh(?![a-z])/i.test(set ?? systemLocale) ? 'zh-CN' : 'en';
}

export type Say = (key: CliMessage, vars?: Record<string, string | number>) => string;

/**
 * The words in `locale`, `{name}` filled in; a numeric `n` picks the key's `.one` form for 1 where
 * there is one (`1 pass card`).
 */
export function sayIn(locale: Locale): Say {
  const words: Record<string, string> = cliMessages[locale];
  return (key, vars) => {
    const text = (vars?.n === 1 && words[`${key}.one`]) || words[key]!;
    return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m)) : text;
  };
}

/**
 * An error the operator reads, in words (`npm start`'s refusals, the environment's mistakes):
 * made from this catalog, it is said in the terminal's language where it is printed (`in`);
 * `message` is its English, for logs and tests, until `speak` puts it in another language.
 */
export class SaidError extends Error {
  private readonly words: (say: Say) => string;

  constructor(message: string | ((say: Say) => string), options?: ErrorOptions) {
    super(typeof message === 'string' ? message : message(sayIn('en')), options);
    this.words = typeof message === 'string' ? () => message : message;
  }

  /** The message in `locale` (one given as text is that text in every language). */
  in(locale: Locale): string {
    return this.words(sayIn(locale));
  }

  /**
   * This error, its `message` now in `locale`: what the command line throws, so that its caller
   * reads it in the terminal's language (its class, code and cause kept).
   */
  speak(locale: Locale): this {
    this.message = this.in(locale);
    return this;
  }
}

/** The schemas' message keys (and messages), in words. */
const WORDS_OF: Record<string, CliMessage> = {
  required: 'issue.required',
  tooLong: 'issue.tooLong',
  idInvalid: 'issue.idInvalid',
  idChecksum: 'issue.idChecksum',
  phoneInvalid: 'issue.phoneInvalid',
  passInvalid: 'issue.passInvalid',
  dateInvalid: 'issue.dateInvalid',
  unrecognized: 'issue.unrecognized',
  'passId, idNumber or phone is required': 'issue.needOneOf',
  'nothing to change: name or rules is required': 'issue.nothingToChange',
  'invalid: not a phone number': 'issue.notPhone',
  'invalid: one decimal at most': 'issue.oneDecimal',
  [NOT_PLAIN_TEXT]: 'issue.notPlainText',
};

/**
 * Words that name their options themselves: said without the field the schema put them on
 * (`--pass: one of --pass, --id or --phone is needed` said --pass twice).
 */
const NAMES_ITS_OPTIONS = new Set<CliMessage>(['issue.needOneOf']);

/**
 * A failed check in the terminal's words, each field named by `whereOf` (the command line's
 * `--fever`, the environment's variable): `--fever: not a number`. A schema's message that is a
 * key of this catalog (the environment's `env.httpUrl`) is said with `vars`.
 */
export function sayIssues(
  say: Say,
  issues: Parameters<typeof issueParts>[0],
  whereOf: (path: string) => string = (path) => path,
  vars?: Record<string, string | number>,
): string {
  return issueParts(issues)
    .map(({ path, key, expected, code, bound }) => {
      const where = whereOf(path);
      // A check of the whole (`nothing to change`) names no field.
      const at = (what: string) => (where ? say('issue', { where, what }) : what);
      if (code === 'invalid_type') {
        if (expected === 'int') return at(say('issue.notWholeNumber'));
        if (expected === 'number') return at(say('issue.notNumber'));
        return at(say('issue.notValue', { type: expected ?? 'value' }));
      }
      const words =
        WORDS_OF[key] ?? (key.startsWith('env.') && key in en ? (key as CliMessage) : undefined);
      if (words) return NAMES_ITS_OPTIONS.has(words) ? say(words, vars) : at(say(words, vars));
      if (code === undefined) return at(key);
      // A zod code, with the bound it broke, in words for what was measured: a text's
      // `too short: at least 1 character` (zod's `too small`), a number's `too big: at most 40`.
      const known = code === 'too_big' || code === 'too_small';
      const said = known
        ? say(bound?.unit ? `issue.${code}.${bound.unit}` : `issue.${code}`)
        : code.replace(/_/g, ' ');
      const limit =
        bound &&
        say(`bound.${bound.word}`, {
          n: String(bound.n),
          unit: bound.unit && say(`unit.${bound.unit}`, { n: bound.n }),
        });
      return at(said + (limit || ''));
    })
    .join(say('issue.and'));
}
