/*
 * announcer.js: speaks the calls of a lobby display, one after another (an ES module).
 *
 *   import {create} from "./announcer.js";
 *   var announcer = create({
 *     plan: function (call) { return Promise<{text, lang, clips: [url, ...]}> },
 *     repeat: 1,              // how many times each call is spoken
 *     speech: false           // allow the browser's voice when it has one for the language
 *   });
 *   announcer.seen(call_id)  // known already (e.g. in the first snapshot): never spoken
 *   announcer.add(call)      // {call_id, number, counter, recall}: queued unless seen
 *
 * Guarantees: announcements never overlap (one queue, one at a time); none is dropped
 * in a burst; each call_id is spoken once per display (a recall has its own call_id);
 * a stuck player cannot block the queue (each announcement has a time limit).
 *
 * For tests and offices with their own sound system, set window.QueueDisplayPlayer to
 * function (plan, repeat) -> Promise before the display starts. Every queued call is
 * logged in window.__announcements as {call_id, number, counter, recall, state}.
 */
var global = window;
var CLIP_LIMIT_MS = 8000;

export function playClip(url) {
  return new Promise(function (resolve) {
    var audio = new global.Audio(url);
    var timer = global.setTimeout(resolve, CLIP_LIMIT_MS);
    function done() { global.clearTimeout(timer); resolve(); }
    audio.onended = done;
    audio.onerror = done;   // a missing clip is skipped, the rest still plays
    var started = audio.play();
    if (started && started.catch) { started.catch(done); }
  });
}

function voiceFor(lang) {
  var synth = global.speechSynthesis;
  if (!synth) { return null; }
  var voices = synth.getVoices() || [];
  for (var i = 0; i < voices.length; i++) {
    if ((voices[i].lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang) { return voices[i]; }
  }
  return null;
}

function speak(text, voice) {
  return new Promise(function (resolve) {
    var utterance = new global.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.onend = resolve;
    utterance.onerror = resolve;
    global.speechSynthesis.speak(utterance);
  });
}

function sequence(items, play) {
  return items.reduce(function (chain, item) {
    return chain.then(function () { return play(item); });
  }, Promise.resolve());
}

/* The default player: the chime, then the clips (or the browser's voice when allowed
   and it speaks the language), `repeat` times. */
function defaultPlayer(useSpeech) {
  return function (plan, repeat) {
    var voice = useSpeech ? voiceFor(plan.lang) : null;
    var chime = plan.clips[0];
    var words = plan.clips.slice(1);
    var rounds = [];
    for (var i = 0; i < repeat; i++) { rounds.push(i); }
    return playClip(chime).then(function () {
      return sequence(rounds, function () {
        return voice ? speak(plan.text, voice) : sequence(words, playClip);
      });
    });
  };
}

function withLimit(promise, ms) {
  return Promise.race([promise, new Promise(function (resolve) { global.setTimeout(resolve, ms); })]);
}

function Announcer(options) {
  this.plan = options.plan;
  this.repeat = options.repeat || 1;
  this.player = global.QueueDisplayPlayer || defaultPlayer(!!options.speech);
  this.queue = [];
  this.known = {};
  this.busy = false;
  this.log = global.__announcements = global.__announcements || [];
}

Announcer.prototype.seen = function (callId) { this.known[callId] = true; };

Announcer.prototype.add = function (call) {
  if (!call.call_id || this.known[call.call_id]) { return false; }
  this.known[call.call_id] = true;
  var entry = {call_id: call.call_id, number: call.number, counter: call.counter,
               recall: !!call.recall, state: "queued"};
  this.log.push(entry);
  // Ask for the phrase now, so it is ready when its turn comes.
  this.queue.push({entry: entry, plan: this.plan(call)});
  this.next();
  return true;
};

Announcer.prototype.next = function () {
  if (this.busy || !this.queue.length) { return; }
  var self = this;
  var item = this.queue.shift();
  this.busy = true;
  var limit = (this.repeat + 1) * 20000;
  withLimit(item.plan.then(function (plan) {
    item.entry.state = "playing";
    item.entry.text = plan.text;
    item.entry.clips = plan.clips;
    return self.player(plan, self.repeat);
  }), limit).catch(function () {
    item.entry.failed = true;
  }).then(function () {
    item.entry.state = "done";
    self.busy = false;
    self.next();
  });
};

export function create(options) { return new Announcer(options); }
