"""Sphinx 내장 검색을 위한 한국어(ko) 검색 언어.

Sphinx는 ``language``(또는 ``html_search_language``) 값으로 ``sphinx.search.languages`` 사전에서
검색 언어 클래스를 찾는다. 7.4에는 'ko'가 없어서 영어(SearchEnglish)로 떨어지고, 영어 분할기는
``\\w+`` 단위로 자르므로 "은닉층을"이 통째로 한 낱말이 된다. 그러면 "은닉층"으로 검색해도
"은닉층을"만 쓴 페이지는 찾지 못한다. 이 확장은 ``app.add_search_language``로 'ko' 클래스를
등록해 이 문제를 고친다.

분할 규칙 (파이썬 ``split``과 자바스크립트 ``splitQuery``가 똑같이 동작한다; 테스트가 node로 확인한다)
------------------------------------------------------------------------------------------------
1. 입력을 NFC로 정규화하고, 한글 음절(가–힣)이 이어진 덩어리와 그 밖의 낱말 문자(글자·숫자·밑줄)
   덩어리로 자른다. 공백, 문장 부호, 자모만 다른 글자는 경계가 된다.
2. 라틴 문자 등 한글이 아닌 낱말은 소문자로 바꿔 그대로 쓴다(영어 검색은 이전과 같다. 영어
   불용어와 포터 어간 추출도 그대로 적용되며, 한글 낱말에는 어간 추출을 하지 않는다).
3. 한글 덩어리는 끝의 조사·어미(PARTICLES)를 떼어 낸다. 가장 긴 것부터 맞춰 보고, 떼고 남은 부분이
   두 음절 이상일 때만 떼며, 더 뗄 것이 없을 때까지 되풀이한다. 그래서 "은닉층을", "은닉층은",
   "은닉층으로"가 모두 "은닉층"이 된다. 덩어리 전체가 조사이면(예: "ReLU를"의 "를") 버린다.
4. 남은 어간을 겹치는 두 음절 조각(바이그램)으로 색인한다: "은닉층" → "은닉", "닉층".
   검색어도 똑같이 잘리고 Sphinx는 모든 조각이 있는 페이지를 찾으므로, "은닉"이나 "전파"처럼
   낱말의 일부로도 찾을 수 있다.

검색어의 덩어리 전체(예: "은닉층")는 검색 조각으로 쓰지 않는다. Sphinx 7.4의 ``performTermsSearch``는 세 글자
이상인 검색 조각의 개수와 같은 수의 조각만 맞아도 결과로 내보내므로, 검색어에 전체 덩어리를 더하면 "역전파"를
찾을 때 "전파"만 있는 페이지(순전파)까지 나온다. 두 음절 조각만 쓰면 모든 조각이 맞아야 한다. 색인에는 아래
"순위"를 위해 어간 전체도 넣지만, 검색어 쪽이 그것을 내지 않으므로 찾는 범위는 그대로다.

순위
----
Sphinx는 제목·본문에 조각이 있으면 같은 점수를 주므로, "역전파"를 찾으면 제목에 "전파"가 있는 순전파 장이
역전파 장보다 앞에 나오기도 했다. 그래서 두 가지를 더한다. (1) 세 음절 이상인 어간 전체도 색인에 넣고
(``whole_stems``; 검색어 분할은 이것을 내지 않으므로 찾는 범위는 그대로다), (2) language_data.js에
``Scorer.score``를 넣어 페이지 제목에 검색어 전체(조사를 뗀 낱말들)가 들어 있으면 TITLE_BONUS를, 본문이나
제목에 검색어의 낱말 전체가 있으면 WHOLE_BONUS를 더한다. 그래서 제목이 검색어를 담은 장이 맨 앞에, 낱말을
통째로 쓰는 페이지가 조각만 나뉘어 있는 페이지보다 앞에 온다.

한 음절 검색어: 한 음절 덩어리(조사가 아닌 것)는 그 음절 하나로 색인한다. 그래서 "층"이나 "값"으로
검색하면 그 음절이 홀로 쓰인 곳(예: "층 수", "값 y")만 찾고, "은닉층"의 "층"은 찾지 않는다.
모든 음절을 따로 색인하면 색인이 커지고 거의 모든 페이지가 걸려 쓸모가 없으므로 이렇게 정했다.
두 음절 이상으로 검색하십시오.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer

# 떼어 낼 조사·어미. 긴 것부터 맞춰 보므로 순서는 아래에서 길이순으로 정렬한다.
_PARTICLE_WORDS = """
은 는 이 가 을 를 의 에 와 과 도 만 로 들
에서 으로 에게 한테 까지 부터 보다 처럼 만큼 마다 조차 마저 밖에 이나 이며 이고 이다 이라 이란
라는 라고 에는 에도 에서 와는 과는 와도 과도 로는 로도 로서 로써 으로서 으로써 으로는 으로도
에서는 에서도 에서의 에게는 에게서 까지는 부터는 이라는 이라고 이라면 이지만 입니다 이에요 예요
""".split()

PARTICLES: tuple[str, ...] = tuple(sorted(set(_PARTICLE_WORDS), key=lambda p: (-len(p), p)))
PARTICLE_SET: frozenset[str] = frozenset(PARTICLES)
MIN_STEM = 2  # 조사를 떼고 남아야 하는 최소 음절 수
TITLE_BONUS = 1000  # 페이지 제목에 검색어 전체가 있을 때 더하는 점수 (Sphinx의 점수는 많아야 수십)
WHOLE_BONUS = 500  # 검색어의 낱말 전체가 본문·제목에 있을 때 더하는 점수

_HANGUL = "\uac00-\ud7a3"
_TOKEN_RE = re.compile(rf"[{_HANGUL}]+|[^\W{_HANGUL}]+")


def is_hangul_syllable(ch: str) -> bool:
    """ch가 완성형 한글 음절(가–힣)이면 참."""
    return "\uac00" <= ch <= "\ud7a3"


def strip_particles(run: str) -> str:
    """한글 덩어리 끝의 조사·어미를 되풀이해 뗀다. 남는 부분은 MIN_STEM 음절 이상이다."""
    changed = True
    while changed:
        changed = False
        for particle in PARTICLES:
            if run.endswith(particle) and len(run) - len(particle) >= MIN_STEM:
                run = run[: -len(particle)]
                changed = True
                break
    return run


def hangul_terms(run: str) -> list[str]:
    """한글 덩어리 하나를 색인 조각(두 음절 조각, 한 음절 낱말은 그대로)으로 바꾼다."""
    if run in PARTICLE_SET:
        return []
    stem = strip_particles(run)
    if len(stem) == 1:
        return [stem]
    return [stem[i : i + 2] for i in range(len(stem) - 1)]


def split_korean(text: str) -> list[str]:
    """문장을 검색 조각으로 자른다. 자바스크립트 splitQuery와 같은 결과를 낸다."""
    terms: list[str] = []
    for token in _TOKEN_RE.findall(unicodedata.normalize("NFC", text)):
        if is_hangul_syllable(token[0]):
            terms.extend(hangul_terms(token))
        else:
            terms.append(token.lower())
    return terms


def whole_stems(text: str) -> list[str]:
    """세 음절 이상인 한글 어간(조사를 뗀 낱말 전체). 순위를 매길 때 '낱말 전체가 있는가'를 보려고 색인한다.

    검색어 분할(splitQuery)은 이것을 내지 않으므로 어떤 페이지가 결과에 드는지는 바뀌지 않는다(자바스크립트의
    부분 일치는 세 글자 이상인 검색 조각에만 일어나는데, 한글 검색 조각은 언제나 두 음절 이하다).
    """
    stems: list[str] = []
    for token in _TOKEN_RE.findall(unicodedata.normalize("NFC", text)):
        if is_hangul_syllable(token[0]) and token not in PARTICLE_SET:
            stem = strip_particles(token)
            if len(stem) > 2:
                stems.append(stem)
    return stems


JS_SPLITTER_CODE = (
    """
/* 한국어 검색 분할기 (book/_ext/korean_search.py의 split_korean과 같은 규칙).
   searchtools.js가 먼저 splitQuery를 var로 선언하므로 여기서도 var로 다시 선언한다. */
var KO_SEARCH_PARTICLES = __PARTICLES__;
var KO_SEARCH_MIN_STEM = __MIN_STEM__;
var koSearchIsParticle = function (run) {
  return KO_SEARCH_PARTICLES.indexOf(run) !== -1;
};
var koSearchStripParticles = function (run) {
  var changed = true;
  while (changed) {
    changed = false;
    for (var i = 0; i < KO_SEARCH_PARTICLES.length; i++) {
      var p = KO_SEARCH_PARTICLES[i];
      if (run.length - p.length >= KO_SEARCH_MIN_STEM && run.slice(-p.length) === p) {
        run = run.slice(0, run.length - p.length);
        changed = true;
        break;
      }
    }
  }
  return run;
};
var koSearchHangulTerms = function (run) {
  if (koSearchIsParticle(run)) return [];
  var stem = koSearchStripParticles(run);
  if (stem.length === 1) return [stem];
  var out = [];
  for (var i = 0; i + 1 < stem.length; i++) out.push(stem.slice(i, i + 2));
  return out;
};
var splitQuery = function (query) {
  var text = String(query).normalize("NFC");
  var tokens = text.match(/[\\uAC00-\\uD7A3]+|(?:(?![\\uAC00-\\uD7A3])[\\p{L}\\p{N}_])+/gu) || [];
  var out = [];
  for (var i = 0; i < tokens.length; i++) {
    var tok = tokens[i];
    var c = tok.charCodeAt(0);
    if (c >= 0xac00 && c <= 0xd7a3) out.push.apply(out, koSearchHangulTerms(tok));
    else out.push(tok.toLowerCase());
  }
  return out;
};

/* 순위: Sphinx의 점수에 두 단계를 더한다 (book/_ext/korean_search.py의 "순위" 설명).
   1) 페이지 제목에 검색어 전체(조사를 뗀 낱말들)가 들어 있으면 맨 앞.
   2) 본문이나 제목에 검색어의 낱말 전체가 있는 페이지가, 두 음절 조각만 나뉘어 있는 페이지보다 앞. */
var KO_SEARCH_TITLE_BONUS = __TITLE_BONUS__;
var KO_SEARCH_WHOLE_BONUS = __WHOLE_BONUS__;
var koSearchNormalize = function (text) {
  return String(text).normalize("NFC").toLowerCase().replace(/\\s+/g, " ").trim();
};
var koSearchQueryWords = function (query) {
  var tokens = String(query).normalize("NFC").match(/[\\uAC00-\\uD7A3]+|(?:(?![\\uAC00-\\uD7A3])[\\p{L}\\p{N}_])+/gu) || [];
  var words = [];
  for (var i = 0; i < tokens.length; i++) {
    var tok = tokens[i];
    var c = tok.charCodeAt(0);
    if (c >= 0xac00 && c <= 0xd7a3) {
      if (!koSearchIsParticle(tok)) words.push(koSearchStripParticles(tok));
    } else words.push(tok.toLowerCase());
  }
  return words;
};
var koSearchHas = function (files, file) {
  if (files === undefined) return false;
  return files === file || (Array.isArray(files) && files.indexOf(file) !== -1);
};
var koSearchRescore = function (result, words, index) {
  var score = result[4];
  if (!words.length || !index) return score;
  var file = index.docnames.indexOf(result[0]);
  var pageTitle = file === -1 ? result[1] : index.titles[file];
  var phrase = koSearchNormalize(words.join(" "));
  if (koSearchNormalize(pageTitle).indexOf(phrase) !== -1) return score + KO_SEARCH_TITLE_BONUS;
  var whole = words.every(function (w) {
    var c = w.charCodeAt(0);
    if (!(c >= 0xac00 && c <= 0xd7a3) || w.length <= 2) return true;
    return koSearchHas(index.terms[w], file) || koSearchHas(index.titleterms[w], file);
  });
  return whole ? score + KO_SEARCH_WHOLE_BONUS : score;
};
if (typeof Search !== "undefined" && typeof Scorer !== "undefined" && !Search._koSearchRanked) {
  Search._koSearchRanked = true;
  var koSearchOriginalParse = Search._parseQuery;
  var koSearchWords = [];
  Search._parseQuery = function (query) {
    koSearchWords = koSearchQueryWords(query);
    return koSearchOriginalParse(query);
  };
  var koSearchOriginalScore = Scorer.score;
  Scorer.score = function (result) {
    var base = koSearchOriginalScore ? koSearchOriginalScore(result) : result[4];
    return koSearchRescore([result[0], result[1], result[2], result[3], base, result[5]], koSearchWords, Search._index);
  };
}
""".replace("__PARTICLES__", json.dumps(list(PARTICLES), ensure_ascii=False))
    .replace("__MIN_STEM__", str(MIN_STEM))
    .replace("__TITLE_BONUS__", str(TITLE_BONUS))
    .replace("__WHOLE_BONUS__", str(WHOLE_BONUS))
)

JS_STEMMER_CODE = (
    js_porter_stemmer
    + """
/* 한글 낱말은 어간 추출을 하지 않고, 나머지는 영어 포터 어간 추출기를 쓴다 (파이썬 stem과 같음). */
var KoSearchPorterStemmer = Stemmer;
Stemmer = function () {
  var porter = new KoSearchPorterStemmer();
  this.stemWord = function (w) {
    var c = w.charCodeAt(0);
    return c >= 0xac00 && c <= 0xd7a3 ? w : porter.stemWord(w);
  };
};
"""
)


class SearchKorean(SearchLanguage):
    """한국어 검색 언어: 조사를 뗀 두 음절 조각 + 영어 낱말(불용어·포터 어간 추출)."""

    lang = "ko"
    language_name = "Korean"
    stopwords = english_stopwords
    js_splitter_code = JS_SPLITTER_CODE
    js_stemmer_code = JS_STEMMER_CODE

    def init(self, options: dict[str, str]) -> None:
        self.stemmer = snowballstemmer.stemmer("porter")

    def split(self, input: str) -> list[str]:
        return split_korean(input) + whole_stems(input)

    def stem(self, word: str) -> str:
        if word and is_hangul_syllable(word[0]):
            return word
        return self.stemmer.stemWord(word.lower())

    def word_filter(self, word: str) -> bool:
        return len(word) > 0 and word not in self.stopwords


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKorean)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
