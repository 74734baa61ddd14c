// Only the Russian Porter stemmer file is imported: loading the whole `natural` package is slow and pulls database drivers.
declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
