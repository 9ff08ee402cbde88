// The GitHub REST API as the pipeline scripts read it: one GET, and every page of a list (the Link header's next).
"use strict";

async function getJson(url, token) {
    const response = await fetch(url, {
        headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${token}`,
            "x-github-api-version": "2022-11-28",
        },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return { data: JSON.parse(text), link: response.headers.get("link") || "" };
}

/** Every item of a paged list: the response itself when it is an array, else its `key` field. */
async function listAll(url, token, key) {
    const items = [];
    let next = url;
    while (next) {
        const { data, link } = await getJson(next, token);
        items.push(...(key === undefined ? data : data[key] || []));
        const m = /<([^>]+)>;\s*rel="next"/.exec(link);
        next = m ? m[1] : null;
    }
    return items;
}

module.exports = { getJson, listAll };
