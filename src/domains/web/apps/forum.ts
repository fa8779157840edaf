// "Forum": a Postmill/Reddit-like site as in WebArena — posts with in-place up/down votes,
// Top/New sorting, per-forum lists, post pages with comments, and forms to comment and post.
import { esc, filterLinks, page, pager, paginate, radios } from './html.js';
import { returnPath, type Req, type Res, type Route } from './router.js';
import { dateOf, displayScore, type AppState, type Post } from './state.js';

function header(state: AppState): string {
  return `<header><a href="/forum">Forum</a>
<nav aria-label="Forums">${state.forum.forums.map((f) => `<a href="/forum/f/${f}">${f}</a>`).join(' ')}</nav>
<a href="/forum/submit">Submit a new post</a> <span>Logged in as ${esc(state.forum.user)}</span></header>`;
}

const render = (state: AppState, title: string, body: string, status?: number): Res => ({
  status,
  html: page(state, `${title} | Forum`, header(state), body),
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Vote buttons and the score; all three are [data-live] so a vote patches them in place. */
function votes(p: Post, back: string): string {
  const form = (dir: 'up' | 'down', label: string, glyph: string, on: boolean) =>
    `<form method="post" action="/forum/vote" data-inplace style="display:inline"><input type="hidden" name="postId" value="${p.id}"><input type="hidden" name="dir" value="${dir}"><input type="hidden" name="return" value="${esc(back)}"><button id="${dir}-${p.id}" data-live aria-pressed="${on}" aria-label="${label} ${esc(p.title)}">${glyph}</button></form>`;
  return `${form('up', 'Upvote', '▲', p.myVote === 1)} <span id="score-${p.id}" data-live>${plural(displayScore(p), 'point')}</span> ${form('down', 'Downvote', '▼', p.myVote === -1)}`;
}

function postSummary(p: Post, back: string): string {
  return `<article aria-labelledby="title-${p.id}"><h2 id="title-${p.id}"><a href="/forum/post/${p.id}">${esc(p.title)}</a></h2>
<p>Submitted by ${esc(p.author)} to <a href="/forum/f/${p.forum}">${p.forum}</a> on ${dateOf(p.createdAt)} · <a href="/forum/post/${p.id}">${plural(p.comments.length, 'comment')}</a></p>
<div>${votes(p, back)}</div></article>`;
}

function list(req: Req, forum: string | null): Res {
  const { state } = req;
  const path = forum ? `/forum/f/${forum}` : '/forum';
  const posts = state.forum.posts.filter((p) => !forum || p.forum === forum);
  const sorted =
    req.query.get('sort') === 'new'
      ? [...posts].sort((a, b) => b.createdAt - a.createdAt)
      : [...posts].sort((a, b) => displayScore(b) - displayScore(a) || b.createdAt - a.createdAt);
  const pg = paginate(sorted, req.query, 10);
  const back = path + (req.query.toString() ? `?${req.query}` : '');
  return render(
    state,
    forum ?? 'All posts',
    `<h1>${forum ?? 'All posts'}</h1>
${filterLinks('Sort by', path, req.query, 'sort', [
  ['', 'Top'],
  ['new', 'New'],
])}
${sorted.length ? pg.items.map((p) => postSummary(p, back)).join('\n') : '<p>No posts yet.</p>'}
${pager(path, req.query, pg)}`,
  );
}

function post(req: Req, m: RegExpExecArray): Res {
  const { state } = req;
  const p = state.forum.posts.find((x) => x.id === Number(m[1]));
  if (!p) return render(state, 'Not found', '<h1>Page not found</h1>', 404);
  const comments = p.comments.map(
    (c) => `<li id="comment-${c.id}"><p>${esc(c.author)} on ${dateOf(c.createdAt)}</p><p>${esc(c.body)}</p></li>`,
  );
  return render(
    state,
    p.title,
    `<article aria-labelledby="title-${p.id}"><h1 id="title-${p.id}">${esc(p.title)}</h1>
<p>Submitted by ${esc(p.author)} to <a href="/forum/f/${p.forum}">${p.forum}</a> on ${dateOf(p.createdAt)}</p>
<p>${esc(p.body)}</p><div>${votes(p, `/forum/post/${p.id}`)}</div></article>
<h2>${plural(p.comments.length, 'comment')}</h2>${comments.length ? `<ol aria-label="Comments">${comments.join('\n')}</ol>` : '<p>No comments yet.</p>'}
<form method="post" action="/forum/post/${p.id}/comment"><p><label>Comment <textarea name="body" rows="3" cols="60"></textarea></label></p><button>Post comment</button></form>`,
  );
}

function vote(req: Req): Res {
  const p = req.state.forum.posts.find((x) => x.id === Number(req.form.get('postId')));
  const dir = req.form.get('dir') === 'up' ? 1 : req.form.get('dir') === 'down' ? -1 : 0;
  if (p && dir) p.myVote = p.myVote === dir ? 0 : dir; // voting the same way again takes the vote back
  return { redirect: returnPath(req.form, p ? `/forum/post/${p.id}` : '/forum') };
}

function comment(req: Req, m: RegExpExecArray): Res {
  const { state } = req;
  const p = state.forum.posts.find((x) => x.id === Number(m[1]));
  if (!p) return render(state, 'Not found', '<h1>Page not found</h1>', 404);
  const body = (req.form.get('body') ?? '').trim();
  if (!body) {
    state.flash = 'A comment cannot be empty.';
    return { redirect: `/forum/post/${p.id}` };
  }
  const id = state.forum.nextCommentId++;
  p.comments.push({ id, author: state.forum.user, body, createdAt: 60 * 24 * 60 + ++state.clock });
  state.flash = 'Your comment was posted.';
  return { redirect: `/forum/post/${p.id}` };
}

function submitForm(req: Req, error = '', title = '', forum = '', body = ''): Res {
  return render(
    req.state,
    'Submit a new post',
    `<h1>Submit a new post</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/forum/submit"><p><label>Title <input name="title" value="${esc(title)}"></label></p>
${radios('Forum', 'forum', req.state.forum.forums, forum)}
<p><label>Body <textarea name="body" rows="5" cols="60">${esc(body)}</textarea></label></p><button>Create post</button></form>`,
  );
}

function submit(req: Req): Res {
  const { state } = req;
  const title = (req.form.get('title') ?? '').trim(),
    forum = req.form.get('forum') ?? '',
    body = (req.form.get('body') ?? '').trim();
  if (!title) return submitForm(req, 'The title is required.', title, forum, body);
  if (!state.forum.forums.includes(forum)) return submitForm(req, 'Choose a forum.', title, forum, body);
  const id = state.forum.nextPostId++;
  state.forum.posts.push({
    id,
    forum,
    title,
    body,
    author: state.forum.user,
    createdAt: 60 * 24 * 60 + ++state.clock,
    score: 1,
    myVote: 0,
    comments: [],
  });
  state.flash = 'Your post was created.';
  return { redirect: `/forum/post/${id}` };
}

export const forumRoutes: Route[] = [
  { method: 'GET', pattern: /^\/forum\/?$/, handle: (req) => list(req, null) },
  {
    method: 'GET',
    pattern: /^\/forum\/f\/([a-z]+)$/,
    handle: (req, m) =>
      req.state.forum.forums.includes(m[1]!)
        ? list(req, m[1]!)
        : render(req.state, 'Not found', '<h1>Page not found</h1>', 404),
  },
  { method: 'GET', pattern: /^\/forum\/post\/(\d+)$/, handle: post },
  { method: 'POST', pattern: /^\/forum\/post\/(\d+)\/comment$/, handle: comment },
  { method: 'POST', pattern: /^\/forum\/vote$/, handle: vote },
  { method: 'GET', pattern: /^\/forum\/submit$/, handle: (req) => submitForm(req) },
  { method: 'POST', pattern: /^\/forum\/submit$/, handle: submit },
];
