"""The public site: fact-check pages, the rating scale, speaker pages (`views`), the Atom feed
(`feed`) and their routes (`urls`)."""
