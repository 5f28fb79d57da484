// A correct get-json in another style: fetch, the body read piece by piece with for await,
// decoded once with a TextDecoder, a timeout of our own with AbortController.
const TARGET = process.env.URL ?? 'http://127.0.0.1:8083/satinApi?type=1&page=1'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10000)

const controller = new AbortController()
const timer = setTimeout(() => controller.abort(), TIMEOUT_MS)

async function main(): Promise<number> {
  const response = await fetch(TARGET, { headers: { accept: 'application/json' }, signal: controller.signal })
  console.log('HTTP', response.status)
  console.log(response.headers.get('Content-Type'))
  if (response.status < 200 || response.status >= 300) {
    console.error(`server said ${response.status} ${response.statusText}`)
    return 1
  }
  const pieces: Uint8Array[] = []
  for await (const piece of response.body!) pieces.push(piece)
  const { data } = JSON.parse(new TextDecoder().decode(Buffer.concat(pieces))) as { data: Array<{ name: string; text: string }> }
  data.forEach((item) => console.log(item.name + ': ' + item.text))
  return 0
}

main()
  .then((code) => (process.exitCode = code))
  .catch((error: Error) => {
    console.error(controller.signal.aborted ? `timed out after ${TIMEOUT_MS} ms` : `failed: ${error.message}`)
    process.exitCode = 1
  })
  .finally(() => clearTimeout(timer))
