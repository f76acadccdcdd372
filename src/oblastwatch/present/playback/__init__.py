"""The Playback view without Streamlit: the page's payload and component, and GIF/MP4 export."""
